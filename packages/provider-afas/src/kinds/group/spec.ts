import { CODE_PATTERN, SCHEMA_BASE } from '../common.js';

/** The `spec` of a Group. */
export interface GroupSpec {
  id: string;
  description: string;
}

export const groupSchema = {
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
