import type { RemoteObject } from '@roster/core';
import type { IntacctClient, Row } from '../../client/client.js';
import { auditOf, defined, findById, groupBy, pick, pickString } from '../../client/fields.js';
import { type PermissionCatalogue, permissionCatalogue } from '../../client/permission-catalogue.js';
import { intacctRight } from '../../permission-data/access-rights.js';
import { isOldForm, oldFormMessage, permissionName } from '../../permission-data/catalogue.js';
import { compareText } from '../common.js';
import { type ObjectOperations, readBack } from '../object-api.js';
import type { SecurityLevelSpec } from './spec.js';

const ROLE = 'company-config/role';
const ROLE_PERMISSION = 'company-config/role-permission-assignment';
const SYSTEM_PREFIX = '::SYS::';

/** One `rolePermissionAssignments[]` entry as roster sends it: the permission by its system key. */
export interface PermissionAssignment {
  permission: { key: string };
  accessRights: string[];
}

/** The order rights are shown in: Intacct's usual five first, then the others alphabetically. */
const FIRST_RIGHTS = ['list', 'readonly', 'add', 'modify', 'delete'];
const rightOrder = (r: string) => {
  const i = FIRST_RIGHTS.indexOf(r);
  return i < 0 ? FIRST_RIGHTS.length : i;
};
const byRight = (a: string, b: string) => rightOrder(a) - rightOrder(b) || compareText(a, b);

/**
 * Intacct assignments (`<module>/<name>` with Intacct's access rights) → roster's permission map,
 * permissions and rights in a stable order.
 */
export function permissionsToSpec(
  assignments: Iterable<{ permission: string; accessRights: unknown }>,
): Record<string, string[]> {
  const byPermission = new Map<string, Set<string>>();
  for (const a of assignments) {
    const rights = byPermission.get(a.permission) ?? new Set<string>();
    for (const r of Array.isArray(a.accessRights) ? a.accessRights : []) {
      if (typeof r === 'string') rights.add(r);
    }
    byPermission.set(a.permission, rights);
  }
  const out: Record<string, string[]> = {};
  for (const name of [...byPermission.keys()].sort(compareText)) {
    out[name] = [...byPermission.get(name)!].sort(byRight);
  }
  return out;
}

/** A manifest's rights as Intacct names them (`view` → `readonly`, `edit` → `modify`), once each, in order. */
export function intacctRights(rights: readonly string[]): string[] {
  return [...new Set(rights.map(intacctRight))].sort(byRight);
}

/**
 * roster's permission map → `rolePermissionAssignments`, each permission by the key the company's
 * catalogue gives its `<module>/<name>`. An unknown name is an error (the plan's validation names
 * it at its manifest line first).
 */
export function permissionsToIntacct(
  permissions: Record<string, readonly string[]>,
  catalogue: PermissionCatalogue,
): PermissionAssignment[] {
  return Object.keys(permissions)
    .sort(compareText)
    .map((name) => {
      const p = catalogue.byName.get(name);
      if (!p) {
        throw new Error(
          isOldForm(name) ? oldFormMessage(name) : `${name} is not a permission of this Intacct company`,
        );
      }
      return { permission: { key: p.key }, accessRights: intacctRights(permissions[name] ?? []) };
    });
}

/** `<module>/<name>` of an assignment's permission: from the row when it says, else from the catalogue. */
function assignedName(row: Row, catalogue: PermissionCatalogue): string | undefined {
  const module = pickString(row, 'permission.module');
  const name = pickString(row, 'permission.name');
  if (module && name) return permissionName({ module, name });
  const key = pickString(row, 'permission.key');
  const p = key ? catalogue.byKey.get(key) : undefined;
  return p ? permissionName(p) : key;
}

function roleToRemote(
  row: Row,
  assignments: Array<{ permission: string; accessRights: unknown }>,
): RemoteObject {
  const id = pickString(row, 'id') ?? '';
  return {
    id: pickString(row, 'key') ?? '',
    naturalKey: id,
    attributes: defined({
      name: id,
      description: pickString(row, 'description'),
      permissions: permissionsToSpec(assignments),
    }),
    ...(id.startsWith(SYSTEM_PREFIX)
      ? { conflict: `role ${id} is an Intacct system role; roster does not manage system roles` }
      : {}),
    ...auditOf(row),
  };
}

/** Every role with its permissions, and the company's permission catalogue: three paged queries. */
export async function listSecurityLevels(client: IntacctClient): Promise<RemoteObject[]> {
  const [roles, perms, catalogue] = await Promise.all([
    client.query({
      object: ROLE,
      fields: ['key', 'id', 'description', 'audit.modifiedDateTime', 'audit.modifiedByUser.id'],
    }),
    client.query({
      object: ROLE_PERMISSION,
      fields: ['key', 'role.key', 'permission.key', 'permission.module', 'permission.name', 'accessRights'],
    }),
    permissionCatalogue(client),
  ]);
  const byRole = groupBy(perms, 'role.key', (p) => {
    const permission = assignedName(p, catalogue);
    return permission ? { permission, accessRights: pick(p, 'accessRights') } : undefined;
  });
  return roles
    .map((r) => roleToRemote(r, byRole.get(pickString(r, 'key') ?? '') ?? []))
    .sort((a, b) => compareText(a.naturalKey, b.naturalKey));
}

export async function readSecurityLevel(
  client: IntacctClient,
  key: string,
): Promise<RemoteObject | undefined> {
  const [role, catalogue] = await Promise.all([client.get(ROLE, key), permissionCatalogue(client)]);
  if (!role) return undefined;
  const assignments = (
    Array.isArray(role.rolePermissionAssignments) ? role.rolePermissionAssignments : []
  ).flatMap((a) => {
    const permission = assignedName(a as Row, catalogue);
    return permission ? [{ permission, accessRights: pick(a as Row, 'accessRights') }] : [];
  });
  return roleToRemote(role, assignments);
}

export const createSecurityLevel: ObjectOperations['create'] = async (client, attributes, idempotencyKey) => {
  const spec = attributes as unknown as SecurityLevelSpec;
  const catalogue = await permissionCatalogue(client);
  const ref = await client.create(
    ROLE,
    {
      id: spec.name,
      ...defined({ description: spec.description }),
      rolePermissionAssignments: permissionsToIntacct(spec.permissions ?? {}, catalogue),
    },
    { idempotencyKey, what: `create role ${spec.name}`, recover: () => findById(client, ROLE, spec.name) },
  );
  return readBack(
    readSecurityLevel(client, ref.key),
    `role ${spec.name} was created (key ${ref.key}) but cannot be read back`,
  );
};

/** PATCH the description and/or the whole permission set (the array replaces the role's assignments). */
export const updateSecurityLevel: ObjectOperations['update'] = async (
  client,
  key,
  prior,
  changes,
  idempotencyKey,
) => {
  const c = changes as Partial<SecurityLevelSpec>;
  const catalogue = c.permissions ? await permissionCatalogue(client) : undefined;
  const body = defined({
    description: c.description,
    rolePermissionAssignments:
      c.permissions && catalogue ? permissionsToIntacct(c.permissions, catalogue) : undefined,
  });
  if (Object.keys(body).length > 0) {
    await client.patch(ROLE, key, body, { what: `update role ${prior.naturalKey}`, idempotencyKey });
  }
  return readBack(
    readSecurityLevel(client, key),
    `role ${prior.naturalKey} (key ${key}) is no longer in Intacct`,
  );
};

export const deleteSecurityLevel: ObjectOperations['delete'] = async (client, key, prior) => {
  await client.delete(ROLE, key, { what: `delete role ${prior.naturalKey}` });
};
