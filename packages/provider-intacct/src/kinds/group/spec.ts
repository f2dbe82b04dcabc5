import type { AttributeRule } from '@roster/core';
import { refSchema, SCHEMA_BASE } from '../common.js';

/** The `spec` of a Group. */
export interface GroupSpec {
  name: string;
  description: string;
  roles?: Array<{ ref: string }>;
}

export const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${SCHEMA_BASE}/Group.schema.json`,
  title: 'Sage Intacct user group',
  description: 'An Intacct user group (REST company-config/user-group): members share its roles.',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description'],
  properties: {
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'Group ID. Renaming creates a new group and deletes the old one.',
    },
    description: {
      type: 'string',
      minLength: 1,
      maxLength: 1000,
      description: 'What the group is for (Intacct requires it).',
    },
    roles: {
      type: 'array',
      description: 'Roles (SecurityLevel resources) given to every member; compared as a set.',
      items: refSchema('A SecurityLevel of the same provider.'),
    },
  },
} as const;

/** Rules per attribute of a Group's `spec`. */
export const attributes = {
  name: { fixedAtCreation: true, description: 'Group ID; a rename replaces the group.' },
  description: { description: 'What the group is for.' },
  roles: {
    ref: 'SecurityLevel',
    set: true,
    privilege: true,
    absent: [],
    description: 'Roles of the group (replaced as a whole).',
  },
} satisfies Record<string, AttributeRule>;
