import {
  bool,
  type CheckRequest,
  type CheckResult,
  choice,
  type KindDefinition,
  list,
  map,
  type RunbookRequest,
  type RunbookStep,
  type SpecOf,
  spec,
  str,
} from '@roster/core';
import {
  AREA_PATTERN,
  compact,
  formatPermissions,
  LIST_NAME_PATTERN,
  orderRights,
  RIGHTS,
  SCHEMA_BASE,
  SECURITY_PERMISSIONS_AREA,
  SYSTEM,
} from './common.js';

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

const ROLES = ['Administration work area', 'Security Roles'];

/** Ask for a new export, so roster can verify the step. */
export const EXPORT_AGAIN =
  "Then export the Staff, Contacts, Accounts and Security Roles registers again (CSV) to the files the provider's export setting names: roster verifies the step from them.";

const asText = (v: unknown) => (typeof v === 'string' ? v : '');
const perms = (v: unknown): Record<string, string[]> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string[]>) : {};
const grantsLabel = (on: unknown) =>
  on === true ? `granted (${RIGHTS.join(', ')})` : 'no rights (leave every right unchecked)';

/** One field per area, in the order given. */
function areaFields(permissions: unknown): Array<{ label: string; value: string }> {
  return Object.entries(perms(permissions)).map(([area, rights]) => ({
    label: `Permissions › ${area}`,
    value: orderRights(rights).join(', '),
  }));
}

/** The runbook step for a manual operation on a security role. */
export function securityLevelRunbook(req: RunbookRequest): RunbookStep {
  const a = req.attributes;
  const name = req.naturalKey;
  const securityNote = (on: unknown) =>
    on === true &&
    'This role grants Security Permissions: an integration account holding it can change its own role (for example to Administrator).';
  switch (req.operation) {
    case 'create':
      return {
        system: SYSTEM,
        title: `Create security role '${name}'`,
        uiPath: [...ROLES, 'New'],
        fields: [
          { label: 'Name', value: name },
          { label: 'Description', value: asText(a.description) },
          ...areaFields(a.permissions),
          { label: `Permissions › ${SECURITY_PERMISSIONS_AREA}`, value: grantsLabel(a.securityPermissions) },
        ],
        notes: compact([
          'Grant no rights on the permission areas not listed.',
          securityNote(a.securityPermissions),
          'Click Save.',
          EXPORT_AGAIN,
        ]),
      };
    case 'update': {
      const c = req.changes ?? {};
      const prior = req.prior ?? {};
      const shown = asText(prior.name) || name;
      const cleared =
        'permissions' in c
          ? Object.keys(perms(prior.permissions)).filter((area) => !(area in perms(c.permissions)))
          : [];
      return {
        system: SYSTEM,
        title: `Change security role '${shown}'`,
        uiPath: [...ROLES, shown, 'Edit'],
        fields: [
          ...compact([
            'name' in c && { label: 'Name', value: asText(c.name) },
            'description' in c && { label: 'Description', value: asText(c.description) },
          ]),
          ...('permissions' in c ? areaFields(c.permissions) : []),
          ...cleared.map((area) => ({ label: `Permissions › ${area}`, value: 'no rights' })),
          ...compact([
            'securityPermissions' in c && {
              label: `Permissions › ${SECURITY_PERMISSIONS_AREA}`,
              value: grantsLabel(c.securityPermissions),
            },
          ]),
        ],
        notes: compact([
          securityNote(c.securityPermissions),
          'The change applies at once to every account holding the role.',
          'Click Save.',
          EXPORT_AGAIN,
        ]),
      };
    }
    case 'delete':
    case 'deactivate':
      return {
        system: SYSTEM,
        title: `Delete security role '${name}'`,
        uiPath: [...ROLES, name, 'Delete'],
        fields: [],
        notes: [
          'Proliance refuses to delete a role that accounts still hold: remove it from them first (roster plans those changes before this step).',
          EXPORT_AGAIN,
        ],
      };
    case 'reconfirm':
      return {
        system: SYSTEM,
        title: `Confirm security role '${name}'`,
        uiPath: [...ROLES, name],
        fields: [
          { label: 'Permissions', value: formatPermissions(a.permissions) || '(none)' },
          { label: `Permissions › ${SECURITY_PERMISSIONS_AREA}`, value: grantsLabel(a.securityPermissions) },
        ],
        notes: ['Check that the role grants exactly these rights.'],
      };
    case 'rotate':
      throw new Error('rotate: a security role holds no credentials');
  }
}

function check(req: CheckRequest): CheckResult {
  const s = req.spec as Partial<SecurityLevelSpec>;
  const diagnostics: CheckResult['diagnostics'] = [];
  const seen = new Map<string, string>();
  for (const area of Object.keys(s.permissions ?? {})) {
    const pointer = `/permissions/${area.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (area.toLowerCase() === SECURITY_PERMISSIONS_AREA.toLowerCase()) {
      diagnostics.push({
        severity: 'error',
        code: 'proliance.security-permissions-area',
        message: `security role ${s.name ?? req.name}: give Security Permissions with securityPermissions: true|false, not as a permission area (roster checks which accounts hold it)`,
        path: pointer,
      });
      continue;
    }
    const first = seen.get(area.toLowerCase());
    if (first !== undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'proliance.duplicate-permission-area',
        message: `permission area ${area} is also listed as ${first}: Proliance names areas regardless of case`,
        path: pointer,
      });
    } else seen.set(area.toLowerCase(), area);
  }
  return { diagnostics };
}

/**
 * A Proliance security role. Created, changed and deleted by hand (Proliance has no public API);
 * read from the Security Roles register export, so every attribute is verified.
 */
export const securityLevelKind = {
  schema: securityLevelSpec.schema,
  description:
    'Security role: rights per permission area, and whether it grants Security Permissions. Made by hand; read from the Security Roles register export.',
  attributes: securityLevelSpec.attributes,
  role: 'role',
  deleteMode: 'delete',
  onRemoveOptions: ['delete'],
  capabilities: { create: 'manual', read: 'api', update: 'manual', delete: 'manual' },
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
  check,
  runbook: securityLevelRunbook,
} satisfies KindDefinition;
