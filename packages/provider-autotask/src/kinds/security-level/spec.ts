import type { AttributeRule } from '@roster/core';
import {
  PERMISSION_KEY_PATTERN,
  PERMISSION_RIGHTS,
  PERMISSION_SCOPES,
  type PermissionValue,
  RECOMMENDED_BASE_LEVEL,
  SYSTEM_API_LEVELS,
} from '../../facts.js';
import { SCHEMA_BASE } from '../common.js';

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

/** JSON Schema of a SecurityLevel `spec`. */
export const securityLevelSchema = {
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

/** Rules per attribute of a SecurityLevel `spec`: nothing of it can be read back. */
export const securityLevelAttributes: Record<string, AttributeRule> = {
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
};
