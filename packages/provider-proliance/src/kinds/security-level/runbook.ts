import type { KindRunbook } from '@roster/core';
import {
  compact,
  EXPORT_AGAIN,
  formatPermissions,
  orderRights,
  RIGHTS,
  SECURITY_PERMISSIONS_AREA,
  SYSTEM,
} from '../common.js';

const ROLES = ['Administration work area', 'Security Roles'];

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

/** Said when a role grants Security Permissions. */
const securityNote = (on: unknown) =>
  on === true &&
  'This role grants Security Permissions: an integration account holding it can change its own role (for example to Administrator).';

/**
 * The runbook steps of a security role (Administration work area › Security Roles): Proliance has no
 * public API, so every change is one of these, verified from the next export.
 */
export const securityLevelRunbook = {
  create(req) {
    const a = req.attributes;
    const name = req.naturalKey;
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
  },
  update(req) {
    const name = req.naturalKey;
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
  },
  delete(req) {
    const name = req.naturalKey;
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
  },
  reconfirm(req) {
    const a = req.attributes;
    const name = req.naturalKey;
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
  },
} satisfies KindRunbook;
