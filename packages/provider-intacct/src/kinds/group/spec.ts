import { refs, type SpecOf, spec, str } from '@roster/core';
import { SCHEMA_BASE } from '../common.js';

/** The `spec` of a Group (an Intacct user group): its schema and its rules. */
export const groupSpec = spec(
  {
    name: str({
      minLength: 1,
      maxLength: 100,
      doc: 'Group ID. Renaming creates a new group and deletes the old one.',
      fixedAtCreation: true,
      summary: 'Group ID; a rename replaces the group.',
    }),
    description: str({
      minLength: 1,
      maxLength: 1000,
      doc: 'What the group is for (Intacct requires it).',
      summary: 'What the group is for.',
    }),
    roles: refs('SecurityLevel', {
      doc: 'Roles (SecurityLevel resources) given to every member; compared as a set.',
      item: 'A SecurityLevel of the same provider.',
      privilege: true,
      absent: [],
      summary: 'Roles of the group (replaced as a whole).',
    }),
  },
  {
    required: ['name', 'description'],
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE}/Group.schema.json`,
    title: 'Sage Intacct user group',
    doc: 'An Intacct user group (REST company-config/user-group): members share its roles.',
  },
);

/** The `spec` of a Group. */
export type GroupSpec = SpecOf<typeof groupSpec>;
