import { type SpecOf, spec, str } from '@roster/core';
import { CODE_PATTERN, SCHEMA_BASE } from '../common.js';

/** A user group, declared once: the JSON Schema of its `spec`, its attribute rules and its type. */
export const groupSpec = spec(
  {
    id: str({
      minLength: 1,
      maxLength: 20,
      pattern: CODE_PATTERN,
      doc: 'Group code (the Group field; KnUser GrId). Immutable once created.',
      immutable: true,
      summary: 'Group code; cannot change once created.',
    }),
    description: str({
      minLength: 1,
      maxLength: 50,
      doc: 'Full description of the group (KnUser GrDs).',
      summary: 'Description of the group (verified through the user-groups GetConnector).',
    }),
  },
  {
    required: ['id', 'description'],
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE}/Group.schema.json`,
    title: 'AFAS Profit user group',
    doc: 'An authorisation (user) group of the Authorisation tool. An app connector is linked to one; its members may use the app connector with a token.',
  },
);

/** The `spec` of a Group. */
export type GroupSpec = SpecOf<typeof groupSpec>;
