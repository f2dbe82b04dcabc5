import { choice, list, map, type SpecOf, spec, str } from '@roster/core';
import { ACCESS_RIGHT_ALIASES, ACCESS_RIGHTS, intacctRight } from '../../permission-data/access-rights.js';
import { SCHEMA_BASE } from '../common.js';

/**
 * Permission keys: `<module>/<name>` as Intacct's permission objects carry them
 * (`accountsPayable/bills`). The pattern also lets the old `<application>/<object>` form through,
 * so that `check` can say what to write instead of a bare pattern mismatch.
 */
export const PERMISSION_KEY_PATTERN = '^[A-Za-z0-9-]+/[A-Za-z0-9-]+$';

/** A permissions map with the access-right aliases written as Intacct names them (others as given). */
function normalizePermissions(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const aliased = (rights: unknown) =>
    Array.isArray(rights) && rights.some((r) => typeof r === 'string' && r in ACCESS_RIGHT_ALIASES);
  if (!entries.some(([, rights]) => aliased(rights))) return value;
  return Object.fromEntries(
    entries.map(([name, rights]) => [
      name,
      aliased(rights)
        ? (rights as unknown[]).map((r) => (typeof r === 'string' ? intacctRight(r) : r))
        : rights,
    ]),
  );
}

/** The `spec` of a SecurityLevel (an Intacct role): its schema and its rules. */
export const securityLevelSpec = spec(
  {
    name: str({
      minLength: 1,
      maxLength: 100,
      pattern: '^(?!::SYS::)',
      doc: 'Role ID. Renaming creates a new role and deletes the old one. System roles (::SYS::…) cannot be managed.',
      fixedAtCreation: true,
      summary: 'Role ID; a rename replaces the role.',
    }),
    description: str({
      maxLength: 1000,
      doc: 'What the role is for (at most 1,000 characters).',
      summary: 'What the role is for.',
    }),
    /** `<module>/<name>` (as `company-config/permission` names it) → the access rights the role gives. */
    permissions: map(
      list(choice(ACCESS_RIGHTS, { doc: 'An Intacct access right (permission-access-rights).' }), {
        minItems: 1,
        uniqueItems: true,
      }),
      {
        doc: "Permissions by <module>/<name>, exactly as Intacct's permission objects (company-config/permission) carry them, e.g. accountsPayable/bills. Values are Intacct access rights (list, readonly, add, modify, delete, post, …; view and edit are accepted for readonly and modify). The company's catalogue says which rights each permission allows; the plan checks against it. Lists compare as sets.",
        keys: PERMISSION_KEY_PATTERN,
        valuesDoc: 'Access rights the role gives on this permission.',
        set: true,
        privilege: true,
        absent: {},
        // roster's generic `view`/`edit` are Intacct's `readonly`/`modify`: compared and sent as such.
        normalize: normalizePermissions,
        summary:
          'Permissions by <module>/<name> with Intacct access rights (list, readonly, add, modify, …).',
      },
    ),
  },
  {
    required: ['name'],
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE}/SecurityLevel.schema.json`,
    title: 'Sage Intacct role',
    doc: 'An Intacct role (REST company-config/role) and the permissions it grants.',
  },
);

/** The `spec` of a SecurityLevel. */
export type SecurityLevelSpec = SpecOf<typeof securityLevelSpec>;
