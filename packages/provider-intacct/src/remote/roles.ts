import type { RemoteObject } from '@roster/core';
import type { IntacctClient, Row } from '../client.js';
import { compareText } from '../kinds/common.js';
import {
  ACCESS_RIGHT_OF,
  PERMISSION_WORDS,
  type PermissionWord,
  type SecurityLevelSpec,
  WORD_OF_ACCESS_RIGHT,
} from '../kinds/security-level.js';
import { auditOf, defined, findById, pick, pickString } from './fields.js';

const ROLE = 'company-config/role';
const ROLE_PERMISSION = 'company-config/role-permission-assignment';
const SYSTEM_PREFIX = '::SYS::';

/** One `rolePermissionAssignments[]` entry as Intacct shows it. */
export interface PermissionAssignment {
  permission: { id: string };
  accessRights: string[];
}

const wordOrder = (w: string) => {
  const i = PERMISSION_WORDS.indexOf(w as PermissionWord);
  return i < 0 ? PERMISSION_WORDS.length : i;
};

/**
 * Intacct assignments → roster's permission map (readonly → view, modify → edit, …), objects and
 * words in a stable order. Rights roster has no word for are kept as Intacct names them.
 */
export function permissionsToSpec(
  assignments: Iterable<{ permission: string; accessRights: unknown }>,
): Record<string, string[]> {
  const byObject = new Map<string, Set<string>>();
  for (const a of assignments) {
    const words = byObject.get(a.permission) ?? new Set<string>();
    for (const r of Array.isArray(a.accessRights) ? a.accessRights : []) {
      if (typeof r === 'string') words.add(WORD_OF_ACCESS_RIGHT[r] ?? r);
    }
    byObject.set(a.permission, words);
  }
  const out: Record<string, string[]> = {};
  for (const object of [...byObject.keys()].sort(compareText)) {
    out[object] = [...byObject.get(object)!].sort((a, b) => wordOrder(a) - wordOrder(b) || compareText(a, b));
  }
  return out;
}

/** roster's permission map → `rolePermissionAssignments` (view → readonly, edit → modify, …). */
export function permissionsToIntacct(permissions: Record<string, readonly string[]>): PermissionAssignment[] {
  return Object.keys(permissions)
    .sort(compareText)
    .map((object) => ({
      permission: { id: object },
      accessRights: [...new Set(permissions[object] ?? [])]
        .sort((a, b) => wordOrder(a) - wordOrder(b) || compareText(a, b))
        .map((w) => ACCESS_RIGHT_OF[w as PermissionWord] ?? w),
    }));
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

/** Every role with its permissions: two paged queries. */
export async function listSecurityLevels(client: IntacctClient): Promise<RemoteObject[]> {
  const [roles, perms] = await Promise.all([
    client.query({
      object: ROLE,
      fields: ['key', 'id', 'description', 'audit.modifiedDateTime', 'audit.modifiedByUser.id'],
    }),
    client.query({ object: ROLE_PERMISSION, fields: ['key', 'role.key', 'permission.id', 'accessRights'] }),
  ]);
  const byRole = new Map<string, Array<{ permission: string; accessRights: unknown }>>();
  for (const p of perms) {
    const role = pickString(p, 'role.key');
    const permission = pickString(p, 'permission.id');
    if (!role || !permission) continue;
    const list = byRole.get(role) ?? [];
    list.push({ permission, accessRights: pick(p, 'accessRights') });
    byRole.set(role, list);
  }
  return roles
    .map((r) => roleToRemote(r, byRole.get(pickString(r, 'key') ?? '') ?? []))
    .sort((a, b) => compareText(a.naturalKey, b.naturalKey));
}

export async function readSecurityLevel(
  client: IntacctClient,
  key: string,
): Promise<RemoteObject | undefined> {
  const role = await client.get(ROLE, key);
  if (!role) return undefined;
  const assignments = (
    Array.isArray(role.rolePermissionAssignments) ? role.rolePermissionAssignments : []
  ).flatMap((a) => {
    const permission = pickString(a as Row, 'permission.id');
    return permission ? [{ permission, accessRights: pick(a as Row, 'accessRights') }] : [];
  });
  return roleToRemote(role, assignments);
}

export async function createSecurityLevel(
  client: IntacctClient,
  attributes: Record<string, unknown>,
  idempotencyKey: string,
): Promise<RemoteObject> {
  const spec = attributes as unknown as SecurityLevelSpec;
  const ref = await client.create(
    ROLE,
    {
      id: spec.name,
      ...defined({ description: spec.description }),
      rolePermissionAssignments: permissionsToIntacct(spec.permissions ?? {}),
    },
    { idempotencyKey, what: `create role ${spec.name}`, recover: () => findById(client, ROLE, spec.name) },
  );
  const created = await readSecurityLevel(client, ref.key);
  if (!created) throw new Error(`role ${spec.name} was created (key ${ref.key}) but cannot be read back`);
  return created;
}

/** PATCH the description and/or the whole permission set (the array replaces the role's assignments). */
export async function updateSecurityLevel(
  client: IntacctClient,
  key: string,
  prior: RemoteObject,
  changes: Record<string, unknown>,
  idempotencyKey: string,
): Promise<RemoteObject> {
  const c = changes as Partial<SecurityLevelSpec>;
  const body = defined({
    description: c.description,
    rolePermissionAssignments: c.permissions ? permissionsToIntacct(c.permissions) : undefined,
  });
  if (Object.keys(body).length > 0) {
    await client.patch(ROLE, key, body, { what: `update role ${prior.naturalKey}`, idempotencyKey });
  }
  const updated = await readSecurityLevel(client, key);
  if (!updated) throw new Error(`role ${prior.naturalKey} (key ${key}) is no longer in Intacct`);
  return updated;
}

export async function deleteSecurityLevel(
  client: IntacctClient,
  key: string,
  prior: RemoteObject,
): Promise<void> {
  await client.delete(ROLE, key, { what: `delete role ${prior.naturalKey}` });
}
