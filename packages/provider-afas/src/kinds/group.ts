import type { KindDefinition, RunbookRequest, RunbookStep } from '@roster/core';
import { CODE_PATTERN, checkBox, SCHEMA_BASE, SYSTEM } from './common.js';

/** The `spec` of a Group. */
export interface GroupSpec {
  id: string;
  description: string;
}

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${SCHEMA_BASE}/Group.schema.json`,
  title: 'AFAS Profit user group',
  description:
    'An authorisation (user) group of the Authorisation tool. An app connector is linked to one; its members may use the app connector with a token.',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'description'],
  properties: {
    id: {
      type: 'string',
      minLength: 1,
      maxLength: 20,
      pattern: CODE_PATTERN,
      description: 'Group code (the Group field; KnUser GrId). Immutable once created.',
    },
    description: {
      type: 'string',
      minLength: 1,
      maxLength: 50,
      description: 'Full description of the group (KnUser GrDs).',
    },
  },
} as const;

const TOOL = ['General', 'Management', 'Authorisation tool'];

/** The runbook step for a manual operation on a user group (from AFAS's procedures). */
export function groupRunbook(req: RunbookRequest): RunbookStep {
  const id = req.naturalKey;
  const a = req.attributes as Partial<GroupSpec>;
  switch (req.operation) {
    case 'create':
      return {
        system: SYSTEM,
        title: `Add user group ${id}`,
        uiPath: [...TOOL, 'Group', 'New'],
        fields: [
          { label: 'Group', value: id },
          { label: 'Description', value: String(a.description ?? '') },
          { label: 'Complete automatically', value: checkBox(false) },
        ],
        notes: [
          'Click Finish.',
          'Do not add users on the Users in group tab: roster puts its ServiceAccounts in the group through the API (KnUser with GrId).',
          'Every member needs an e-mail address and Profit Windows or InSite enabled; roster checks this for its ServiceAccounts.',
        ],
      };
    case 'update':
      return {
        system: SYSTEM,
        title: `Change user group ${id}`,
        uiPath: [...TOOL, 'Group maintenance', id],
        fields: [{ label: 'Description', value: String(req.changes?.description ?? a.description ?? '') }],
        notes: ['Close the Authorisation tool to save the change.'],
      };
    case 'delete':
    case 'deactivate':
      return {
        system: SYSTEM,
        title: `Delete user group ${id}`,
        uiPath: [...TOOL, 'Group maintenance', id, 'Actions', 'Delete'],
        fields: [],
        notes: [
          'Profit refuses to delete a group still linked to other data, such as an app connector: relink or delete the app connector first.',
          'The group of all Profit users cannot be deleted.',
        ],
      };
    case 'rotate':
      throw new Error('rotate: this kind holds no credentials');
    case 'reconfirm':
      return {
        system: SYSTEM,
        title: `Confirm user group ${id}`,
        uiPath: [...TOOL, 'Group maintenance', id],
        fields: [{ label: 'Description', value: String(a.description ?? '') }],
        notes: ['Check that the group exists with this description.'],
      };
  }
}

/**
 * An AFAS Profit user group. Created, changed and deleted by hand in the Authorisation tool (the
 * seed's procedure); read through the user-groups GetConnector. KnUser can create a group while
 * linking a user (MtCd 3), but that needs a user and skips the Authorisation tool's review, so
 * roster leaves creation to the operator.
 */
export const groupKind = {
  schema,
  description: 'User group (Authorisation tool): the members an app connector allows.',
  attributes: {
    id: { immutable: true, description: 'Group code; cannot change once created.' },
    description: { description: 'Description of the group (verified through the user-groups GetConnector).' },
  },
  role: 'group',
  deleteMode: 'delete',
  capabilities: { create: 'manual', read: 'api', update: 'manual', delete: 'manual' },
  naturalKey: (spec) => String(spec.id),
  naturalKeyAttribute: 'id',
  runbook: groupRunbook,
} satisfies KindDefinition;
