import type { KindDefinition } from '@roster/core';
import { ALL_API, SCHEMA_BASE } from './common.js';

/** roster's permission words, in the order they are shown. */
export const PERMISSION_WORDS = ['list', 'view', 'add', 'edit', 'delete'] as const;
export type PermissionWord = (typeof PERMISSION_WORDS)[number];

/** roster word → Intacct access right (`rolePermissionAssignments[].accessRights`). */
export const ACCESS_RIGHT_OF: Readonly<Record<PermissionWord, string>> = {
  list: 'list',
  view: 'readonly',
  add: 'add',
  edit: 'modify',
  delete: 'delete',
};
/** Intacct access right → roster word. */
export const WORD_OF_ACCESS_RIGHT: Readonly<Record<string, PermissionWord>> = Object.fromEntries(
  Object.entries(ACCESS_RIGHT_OF).map(([word, right]) => [right, word as PermissionWord]),
);

/** The `spec` of a SecurityLevel. */
export interface SecurityLevelSpec {
  name: string;
  description?: string;
  /** `<application>/<object>` → what the role may do with it. */
  permissions?: Record<string, PermissionWord[]>;
}

/** Permission keys as Intacct names them: `<application>/<object>`, e.g. `accounts-payable/bill`. */
export const PERMISSION_KEY_PATTERN = '^[a-z0-9-]+/[a-z0-9-]+$';

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${SCHEMA_BASE}/SecurityLevel.schema.json`,
  title: 'Sage Intacct role',
  description: 'An Intacct role (REST company-config/role) and the permissions it grants.',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      pattern: '^(?!::SYS::)',
      description:
        'Role ID. Renaming creates a new role and deletes the old one. System roles (::SYS::…) cannot be managed.',
    },
    description: { type: 'string', description: 'What the role is for.' },
    permissions: {
      type: 'object',
      description:
        'Permissions by <application>/<object>: list, view (Intacct readonly), add, edit (modify), delete. Lists compare as sets.',
      propertyNames: { pattern: PERMISSION_KEY_PATTERN },
      additionalProperties: {
        type: 'array',
        description: 'What the role may do with this object.',
        minItems: 1,
        uniqueItems: true,
        items: { enum: PERMISSION_WORDS, description: 'A permission word.' },
      },
    },
  },
} as const;

/** A Sage Intacct role. */
export const securityLevelKind = {
  schema,
  description: 'Role: a named set of permissions given to users and user groups.',
  attributes: {
    name: { fixedAtCreation: true, description: 'Role ID; a rename replaces the role.' },
    description: { description: 'What the role is for.' },
    permissions: {
      set: true,
      privilege: true,
      absent: {},
      description: 'Permissions by <application>/<object> (list, view, add, edit, delete).',
    },
  },
  deleteMode: 'delete',
  capabilities: ALL_API,
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
} satisfies KindDefinition;
