import type { CheckRequest, CheckResult, KindDefinition } from '@roster/core';
import {
  PERMISSION_KEY_PATTERN,
  PERMISSION_RIGHTS,
  PERMISSION_SCOPES,
  type PermissionValue,
  RECOMMENDED_BASE_LEVEL,
  SYSTEM_API_LEVELS,
} from '../facts.js';
import { SCHEMA_BASE } from './common.js';
import { securityLevelRunbook } from './runbooks.js';

/** The `spec` of a SecurityLevel. */
export interface SecurityLevelSpec {
  /** The level's name in Autotask (its natural key). */
  name: string;
  /** The API-user level it is a copy of. */
  copiedFrom?: string;
  /** `Section › Object` → a scope, or the exact rights granted. Entries not listed keep the copy's. */
  permissions?: Record<string, PermissionValue>;
  active?: boolean;
}

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${SCHEMA_BASE}/SecurityLevel.schema.json`,
  title: 'Autotask security level for API users',
  description:
    'A custom security level made in the Autotask UI by copying an API-user level. The REST API cannot read security levels: every attribute rests on attestation.',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, description: 'Name of the level in Autotask.' },
    copiedFrom: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      default: RECOMMENDED_BASE_LEVEL,
      description: `The API-user level it is a copy of: ${SYSTEM_API_LEVELS.join(' or ')} (recommended), or another API-only level. Only used at creation.`,
      examples: [...SYSTEM_API_LEVELS],
    },
    permissions: {
      type: 'object',
      description:
        'Permissions by "Section › Object" (as the Security Levels page shows them): a scope (All, Mine, None) or the exact list of rights (View, Add, Edit, Delete). Entries not listed keep what the copy brought.',
      propertyNames: { pattern: PERMISSION_KEY_PATTERN },
      additionalProperties: {
        oneOf: [
          { enum: PERMISSION_SCOPES, description: 'How much of the object the level reaches.' },
          {
            type: 'array',
            description: 'Exactly the rights granted; those left out are not.',
            uniqueItems: true,
            items: { enum: PERMISSION_RIGHTS },
          },
        ],
      },
      examples: [
        { 'CRM › Account & Contact Access': 'All', 'Service Desk › Tickets': ['View', 'Add', 'Edit'] },
      ],
    },
    active: {
      type: 'boolean',
      default: true,
      description:
        'Active levels only can be given to API users; Autotask requires a used level to be active.',
    },
  },
} as const;

function check(req: CheckRequest): CheckResult {
  const spec = req.spec as Partial<SecurityLevelSpec>;
  const diagnostics: CheckResult['diagnostics'] = [];
  if (spec.active === false) {
    diagnostics.push({
      severity: 'warning',
      code: 'autotask.security-level-inactive',
      path: '/active',
      message: `security level ${spec.name ?? req.name} is declared inactive: Autotask offers only active levels for API users, so none can be given it (those that have it keep it)`,
    });
  }
  if (spec.copiedFrom && spec.name && spec.copiedFrom.toLowerCase() === spec.name.toLowerCase()) {
    diagnostics.push({
      severity: 'error',
      code: 'autotask.copied-from-itself',
      path: '/copiedFrom',
      message: `security level ${spec.name} cannot be a copy of itself: set copiedFrom to ${RECOMMENDED_BASE_LEVEL}`,
    });
  }
  return { diagnostics };
}

/** An Autotask security level for API users: UI-only, and unreadable by the REST API. */
export const securityLevelKind = {
  schema,
  description:
    'Security level for API users: a copy of an API-user level with its own permissions. Made and changed in the Autotask UI only; not readable by the API, so every attribute is attested.',
  attributes: {
    name: { verifiable: false, description: 'Name of the level (renamed in the UI).' },
    copiedFrom: {
      verifiable: false,
      fixedAtCreation: true,
      description: 'The API-user level copied at creation; another base means a new copy.',
    },
    permissions: {
      verifiable: false,
      set: true,
      privilege: true,
      absent: {},
      description: 'Permissions by "Section › Object": a scope or the exact rights.',
    },
    active: { verifiable: false, description: 'Active levels only can be given to API users.' },
  },
  role: 'role',
  deleteMode: 'deactivate',
  deactivation: { attribute: 'active', value: false, activeValue: true },
  capabilities: { create: 'manual', read: 'none', update: 'manual', delete: 'none' },
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
  check,
  runbook: securityLevelRunbook,
} satisfies KindDefinition;
