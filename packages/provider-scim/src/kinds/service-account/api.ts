import type { RemoteObject, ResolvedRef } from '@roster/core';
import { ScimError } from '../../client/errors.js';
import type { PatchOperation, ScimResource } from '../../client/scim-client.js';
import { type GroupEntry, type ScimConnection, withMarker } from '../../connection.js';
import { patchPaths, userAttributes, userBody, userKey, userSchemas } from './wire.js';

type Conn = { connection: ScimConnection };

/** A user as a RemoteObject: spec attributes, and `groups` from the groups it is a direct member of. */
function remote(user: ScimResource, groups: GroupEntry[]): RemoteObject {
  const attributes = userAttributes(user);
  const memberOf = groups
    .filter((g) => g.members.has(user.id))
    .map((g) => ({ ref: g.displayName }))
    .sort((a, b) => a.ref.localeCompare(b.ref));
  const meta = (user.meta ?? {}) as Record<string, unknown>;
  return {
    id: user.id,
    naturalKey: userKey(attributes.userName),
    attributes: { ...attributes, groups: memberOf },
    deactivated: attributes.active === false,
    ...(typeof meta.lastModified === 'string' ? { modifiedAt: meta.lastModified } : {}),
  };
}

export async function listServiceAccounts({ connection }: Conn): Promise<{ objects: RemoteObject[] }> {
  const users = (await connection.listResources('User', 'list the users')).filter((u) =>
    connection.isServiceAccount(u),
  );
  const groups = await connection.groups();
  return { objects: users.map((u) => remote(u, groups)) };
}

export async function readServiceAccount({
  connection,
  id,
}: Conn & { id: string }): Promise<{ object: RemoteObject | undefined }> {
  const user = await connection.getResource('User', id, `read user ${id}`);
  if (!user || !connection.isServiceAccount(user)) return { object: undefined };
  return { object: remote(user, await connection.groups()) };
}

/**
 * POST /Users, then the memberships. A 409 `uniqueness` means the userName exists already: a
 * service account (under the provider's mapping) is adopted and brought to the declared
 * attributes; any other user is reported, never taken over.
 */
export async function createServiceAccount({
  connection,
  attributes,
}: Conn & { attributes: Record<string, unknown> }): Promise<{ object: RemoteObject }> {
  const userName = String(attributes.userName);
  const body = withMarker(connection.config, userBody(attributes));
  let user: ScimResource;
  try {
    user = await connection.createResource(
      'User',
      { schemas: userSchemas(body), ...body },
      { attribute: 'userName', value: userName },
      `create user ${userName}`,
    );
  } catch (err) {
    if (!(err instanceof ScimError && err.exists)) throw err;
    const [found] = await connection.find('User', 'userName', userName, `look up user ${userName}`);
    if (!found) throw err;
    if (!connection.isServiceAccount(found))
      throw new ScimError(
        `create user ${userName}`,
        409,
        'uniqueness',
        `a user with this userName exists and is not marked as a service account (${connection.config.serviceAccounts?.attribute}); roster leaves it alone`,
      );
    const prior = remote(found, await connection.groups());
    const changes = Object.fromEntries(
      Object.entries(attributes).filter(
        ([k, v]) => JSON.stringify(prior.attributes[k]) !== JSON.stringify(v),
      ),
    );
    return updateServiceAccount({ connection, id: found.id, prior, changes });
  }
  await changeMemberships(connection, user.id, [], refsOf(attributes.groups));
  return { object: remote(user, await connection.groups()) };
}

/**
 * The changed attributes in one PATCH (or a PUT of the whole user), then the memberships: each
 * group gained or lost is PATCHed on its own `members`, so other members are never touched.
 */
export async function updateServiceAccount({
  connection,
  id,
  prior,
  changes,
}: Conn & { id: string; prior: RemoteObject; changes: Record<string, unknown> }): Promise<{
  object: RemoteObject;
}> {
  const { groups, ...rest } = changes;
  const userName = String(prior.attributes.userName ?? prior.naturalKey);
  const what = `update user ${userName}`;
  let user: ScimResource | undefined;
  if (Object.keys(rest).length > 0) {
    const ops: PatchOperation[] = Object.entries(rest).flatMap(([k, v]) =>
      patchPaths(k, v, prior.attributes[k]).map(({ path, value }) =>
        value === undefined || value === null
          ? { op: 'remove' as const, path }
          : { op: 'replace' as const, path, value },
      ),
    );
    user = await retryOnce412(connection, id, prior, rest, what, () =>
      connection.modify('User', id, ops, (current) => putBody(current, rest), what),
    );
  }
  if (groups !== undefined) {
    const before = ((prior.attributes.groups as Array<{ ref: string }> | undefined) ?? []).map((g) => g.ref);
    await changeMemberships(connection, id, before, refsOf(groups));
  }
  user ??= await connection.getResource('User', id, `read back user ${userName}`);
  if (!user) throw new ScimError(what, 404, undefined, 'the user is gone after the update');
  return { object: remote(user, await connection.groups()) };
}

export async function deleteServiceAccount({
  connection,
  id,
}: Conn & { id: string }): Promise<Record<string, never>> {
  await connection.deleteResource('User', id, `delete user ${id}`);
  return {};
}

/** The whole user for a PUT: what the server holds, the changes applied (null clears). */
function putBody(current: ScimResource, changes: Record<string, unknown>): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  const body = userBody(changes);
  for (const k of Object.keys(changes)) {
    const key = k === 'enterprise' ? (Object.keys(body).find((b) => b.startsWith('urn:')) ?? k) : k;
    if (body[key] === undefined) delete next[key];
    else next[key] = body[key];
  }
  return { ...next, schemas: userSchemas(next) };
}

/**
 * A 412 (the user changed on the server since the plan read it): read it again. When it already
 * holds the new values (an attempt whose answer was lost made the change), that is the result;
 * when what roster is about to change still holds the values the plan saw, the change is made once
 * more on the new version; otherwise it is reported, for a new plan of this user.
 */
async function retryOnce412(
  connection: ScimConnection,
  id: string,
  prior: RemoteObject,
  changes: Record<string, unknown>,
  what: string,
  send: () => Promise<ScimResource>,
): Promise<ScimResource> {
  try {
    return await send();
  } catch (err) {
    if (!(err instanceof ScimError && err.changedSinceRead)) throw err;
    // The read records the new version, which the second attempt sends in If-Match.
    const now = await connection.getResource('User', id, `read again after 412: ${what}`);
    const seen = now && (userAttributes(now) as Record<string, unknown>);
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    // An earlier attempt whose answer was lost made the change already (the retry then met a 412).
    if (now && seen && Object.keys(changes).every((k) => same(seen[k], changes[k]))) return now;
    if (seen && Object.keys(changes).every((k) => same(seen[k], prior.attributes[k]))) return send();
    throw new ScimError(
      what,
      412,
      undefined,
      `the user changed on the server since roster read it${now ? '' : ' (it is gone)'}; run roster plan again to see the change and re-plan this user (changes: ${Object.keys(changes).join(', ')})`,
    );
  }
}

function refsOf(v: unknown): ResolvedRef[] {
  return Array.isArray(v) ? (v as ResolvedRef[]) : [];
}

/** PATCH each group gained (`add members`) or lost (`remove members[value eq "id"]`). */
async function changeMemberships(
  connection: ScimConnection,
  userId: string,
  before: string[],
  after: ResolvedRef[],
): Promise<void> {
  const groups = await connection.groups();
  const byName = new Map(groups.map((g) => [g.displayName, g]));
  const wanted = new Set(after.map((r) => r.ref));
  for (const r of after) {
    const g = r.id !== undefined ? groups.find((x) => x.id === r.id) : byName.get(r.ref);
    if (!g)
      throw new ScimError(
        `add a member to group ${r.ref}`,
        404,
        undefined,
        `no group ${r.ref} on the server`,
      );
    if (g.members.has(userId)) continue;
    await connection.modify(
      'Group',
      g.id,
      [{ op: 'add', path: 'members', value: [{ value: userId }] }],
      (current) => ({ ...current, members: [...membersOf(current), { value: userId }] }),
      `add user ${userId} to group ${g.displayName}`,
      { commutative: true },
    );
  }
  for (const name of before) {
    const g = byName.get(name);
    if (!g || wanted.has(name) || !g.members.has(userId)) continue;
    await connection.modify(
      'Group',
      g.id,
      [{ op: 'remove', path: `members[value eq ${JSON.stringify(userId)}]` }],
      (current) => ({ ...current, members: membersOf(current).filter((m) => m.value !== userId) }),
      `remove user ${userId} from group ${g.displayName}`,
      { commutative: true },
    );
  }
}

function membersOf(group: ScimResource): Array<{ value: string }> {
  const m = group.members;
  return Array.isArray(m) ? (m as Array<{ value: string }>) : [];
}
