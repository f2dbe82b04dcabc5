import type { RemoteObject } from '@roster/core';
import type { IntacctClient, Row } from '../../client/client.js';
import { auditOf, defined, findById, groupBy, pickString, refBody } from '../../client/fields.js';
import { compareText, sortedRefs } from '../common.js';
import { type ObjectOperations, readBack } from '../object-api.js';
import type { GroupSpec } from './spec.js';

const GROUP = 'company-config/user-group';
const ROLE_GROUP_MAP = 'company-config/role-user-group-map';

function groupToRemote(row: Row, roles: string[]): RemoteObject {
  const id = pickString(row, 'id') ?? '';
  return {
    id: pickString(row, 'key') ?? '',
    naturalKey: id,
    attributes: defined({ name: id, description: pickString(row, 'description'), roles: sortedRefs(roles) }),
    ...auditOf(row),
  };
}

/** Every user group with its roles: two paged queries. */
export async function listGroups(client: IntacctClient): Promise<RemoteObject[]> {
  const [groups, maps] = await Promise.all([
    client.query({
      object: GROUP,
      fields: ['key', 'id', 'description', 'audit.modifiedDateTime', 'audit.modifiedByUser.id'],
    }),
    client.query({ object: ROLE_GROUP_MAP, fields: ['key', 'userGroup.key', 'role.id'] }),
  ]);
  const roles = groupBy(maps, 'userGroup.key', (m) => pickString(m, 'role.id'));
  return groups
    .map((g) => groupToRemote(g, roles.get(pickString(g, 'key') ?? '') ?? []))
    .sort((a, b) => compareText(a.naturalKey, b.naturalKey));
}

export async function readGroup(client: IntacctClient, key: string): Promise<RemoteObject | undefined> {
  const group = await client.get(GROUP, key);
  if (!group) return undefined;
  const roles = (Array.isArray(group.roles) ? group.roles : [])
    .map((r) => pickString(r as Row, 'id'))
    .filter((r): r is string => r !== undefined);
  return groupToRemote(group, roles);
}

export const createGroup: ObjectOperations['create'] = async (client, attributes, idempotencyKey) => {
  const spec = attributes as unknown as GroupSpec;
  const ref = await client.create(
    GROUP,
    { id: spec.name, description: spec.description, roles: (spec.roles ?? []).map(refBody) },
    {
      idempotencyKey,
      what: `create user group ${spec.name}`,
      recover: () => findById(client, GROUP, spec.name),
    },
  );
  return readBack(
    readGroup(client, ref.key),
    `user group ${spec.name} was created (key ${ref.key}) but cannot be read back`,
  );
};

/** PATCH the description and/or the whole role set (`roles[]` replaces the group's roles). */
export const updateGroup: ObjectOperations['update'] = async (
  client,
  key,
  prior,
  changes,
  idempotencyKey,
) => {
  const c = changes as Partial<GroupSpec>;
  const body = defined({ description: c.description, roles: c.roles ? c.roles.map(refBody) : undefined });
  if (Object.keys(body).length > 0) {
    await client.patch(GROUP, key, body, { what: `update user group ${prior.naturalKey}`, idempotencyKey });
  }
  return readBack(
    readGroup(client, key),
    `user group ${prior.naturalKey} (key ${key}) is no longer in Intacct`,
  );
};

export const deleteGroup: ObjectOperations['delete'] = async (client, key, prior) => {
  await client.delete(GROUP, key, { what: `delete user group ${prior.naturalKey}` });
};
