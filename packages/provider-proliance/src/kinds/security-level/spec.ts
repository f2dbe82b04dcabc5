import { bool, choice, list, map, type SpecOf, spec, str } from '@roster/core';
import { AREA_PATTERN, LIST_NAME_PATTERN, RIGHTS, SCHEMA_BASE } from '../common.js';

/** The `spec` of a SecurityLevel (a Proliance security role), its schema and its rules. */
export const securityLevelSpec = spec(
  {
    name: str({
      minLength: 1,
      maxLength: 100,
      pattern: LIST_NAME_PATTERN,
      doc: 'Name of the role (unique regardless of case). No ";": the Accounts export lists roles separated by it.',
      summary: 'Name of the role (the Role Name column).',
    }),
    description: str({
      maxLength: 255,
      doc: 'Description of the role.',
      summary: 'Description (the Description column).',
    }),
    permissions: map(list(choice(RIGHTS), { minItems: 1, uniqueItems: true }), {
      doc: `Rights by permission area, e.g. {Projects: [Read, Update]}. Areas not listed grant nothing. Security Permissions is not an area here: use securityPermissions.`,
      keys: AREA_PATTERN,
      valuesDoc: 'Rights on the area.',
      examples: [{ Organization: ['Read'], Projects: ['Read', 'Update'] }],
      set: true,
      privilege: true,
      absent: {},
      summary: 'Rights per permission area (the Permissions column).',
    }),
    securityPermissions: bool({
      doc: 'Whether the role has rights on Security Permissions. A holder can change its own role (e.g. to Administrator): give integration accounts roles with false (Proliance tip).',
      privilege: true,
      summary: 'Grants Security Permissions: holders can change roles (the Security Permissions column).',
    }),
  },
  {
    required: ['name', 'securityPermissions'],
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE}/SecurityLevel.schema.json`,
    title: 'Proliance security role',
    doc: 'A security role (Administration work area › Security Roles): the rights it grants per permission area, and whether it grants Security Permissions. Made and changed by hand; read from the Security Roles register export.',
  },
);

/** The `spec` of a SecurityLevel (a Proliance security role). */
export type SecurityLevelSpec = SpecOf<typeof securityLevelSpec>;
