import type { RemoteObject } from '@roster/core';
import type { IntacctClient, ObjectRef, Row } from '../../client/client.js';
import { IntacctApiError } from '../../client/errors.js';
import {
  auditOf,
  defined,
  findById,
  groupBy,
  pick,
  pickString,
  refBody,
  refNames,
  subKey,
} from '../../client/fields.js';
import { sortedRefs } from '../common.js';
import { type ObjectOperations, readBack } from '../object-api.js';
import type { ServiceAccountSpec } from './spec.js';

const USER = 'company-config/user';
const CONTACT = 'company-config/contact';
const MEMBER = 'company-config/user-group-member';
const ROLE_USER_MAP = 'company-config/role-user-map';

const USER_FIELDS = [
  'key',
  'id',
  'userName',
  'accountEmail',
  'userType',
  'adminPrivileges',
  'status',
  'webServices.isRestricted',
  'contact.key',
  'contact.firstName',
  'contact.lastName',
  'contact.email1',
  'audit.modifiedDateTime',
  'audit.modifiedByUser.id',
];

/** REST `status` → roster's word. */
export function statusToRoster(status: string | undefined): string | undefined {
  return status === 'lockedOut' ? 'locked' : status;
}
/** roster's word → REST `status`. */
export function statusToRest(status: unknown): string | undefined {
  if (status === undefined) return undefined;
  return status === 'locked' ? 'lockedOut' : String(status);
}

/** The user's row plus what other objects hold about it. */
interface UserFacts {
  row: Row;
  roles: string[];
  groups: string[];
}

/** A user in spec shape. Standard (interactive) users come back too, marked as a conflict. */
export function userToRemote({ row, roles, groups }: UserFacts): RemoteObject {
  const key = pickString(row, 'key') ?? '';
  const id = pickString(row, 'id') ?? '';
  const status = statusToRoster(pickString(row, 'status'));
  const contact = defined({
    firstName: pickString(row, 'contact.firstName'),
    lastName: pickString(row, 'contact.lastName'),
    email: pickString(row, 'contact.email1'),
  });
  const attributes = defined({
    id,
    userName: pickString(row, 'userName'),
    email: pickString(row, 'accountEmail'),
    contact: Object.keys(contact).length > 0 ? contact : undefined,
    userType: pickString(row, 'userType'),
    adminPrivileges: pickString(row, 'adminPrivileges'),
    status,
    roles: sortedRefs(roles),
    groups: sortedRefs(groups),
  });
  const restricted = pick(row, 'webServices.isRestricted') === true;
  return {
    id: key,
    naturalKey: id,
    attributes,
    ...(status === 'inactive' ? { deactivated: true } : {}),
    ...(restricted
      ? {}
      : {
          conflict: `ID ${id} belongs to a standard (interactive) user; a web services user cannot reuse it`,
        }),
    ...auditOf(row),
  };
}

/** Every user, with roles and group memberships: three paged queries, whatever the number of users. */
export async function listServiceAccounts(client: IntacctClient): Promise<RemoteObject[]> {
  const [users, roleMaps, members] = await Promise.all([
    client.query({ object: USER, fields: USER_FIELDS }),
    client.query({ object: ROLE_USER_MAP, fields: ['key', 'user.key', 'role.id'] }),
    client.query({ object: MEMBER, fields: ['key', 'user.key', 'userGroup.id'] }),
  ]);
  const roles = groupBy(roleMaps, 'user.key', (r) => pickString(r, 'role.id'));
  const groups = groupBy(members, 'user.key', (m) => pickString(m, 'userGroup.id'));
  return users
    .map((row) => {
      const key = pickString(row, 'key') ?? '';
      return userToRemote({ row, roles: roles.get(key) ?? [], groups: groups.get(key) ?? [] });
    })
    .sort((a, b) => (a.naturalKey < b.naturalKey ? -1 : a.naturalKey > b.naturalKey ? 1 : 0));
}

/** The group memberships of one user: `user-group-member` key and group ID. */
async function membershipsOf(
  client: IntacctClient,
  userKey: string,
): Promise<Array<{ key: string; group: string }>> {
  const rows = await client.query({
    object: MEMBER,
    fields: ['key', 'userGroup.id'],
    filters: [{ $eq: { 'user.key': userKey } }],
  });
  return rows.flatMap((r) => {
    const key = pickString(r, 'key');
    const group = pickString(r, 'userGroup.id');
    return key && group ? [{ key, group }] : [];
  });
}

/** One user by key (GET, plus its memberships); undefined when it does not exist. */
export async function readServiceAccount(
  client: IntacctClient,
  key: string,
  /** Group IDs when already known (a user just created): saves the membership query. */
  knownGroups?: string[],
): Promise<RemoteObject | undefined> {
  const user = await client.get(USER, key);
  if (!user) return undefined;
  let contact = (pick(user, 'contact') ?? {}) as Row;
  const contactKey = pickString(contact, 'key');
  // A GET may give the contact as a bare reference; its names and e-mail are on the contact itself.
  if (contactKey && (contact.email1 === undefined || contact.lastName === undefined)) {
    contact = (await client.get(CONTACT, contactKey)) ?? contact;
  }
  const roles = Array.isArray(user.roles)
    ? user.roles.map((r) => pickString(r as Row, 'id')).filter((r) => r !== undefined)
    : [];
  const groups = knownGroups ?? (await membershipsOf(client, key)).map((m) => m.group);
  return userToRemote({ row: { ...user, contact }, roles, groups });
}

function contactId(spec: ServiceAccountSpec): string {
  // Contact IDs are names in Intacct; the user ID keeps this one unique and traceable.
  return `${spec.contact.lastName}, ${spec.contact.firstName} (${spec.id})`;
}

function userBody(a: Partial<ServiceAccountSpec>): Row {
  return defined({
    userName: a.userName,
    accountEmail: a.email,
    userType: a.userType,
    adminPrivileges: a.adminPrivileges,
    status: statusToRest(a.status),
    roles: a.roles ? a.roles.map(refBody) : undefined,
  });
}

/**
 * Create a web services user: the user with its new contact inline and its roles in one POST
 * (webServices.isRestricted, password never expires), then one user-group-member per group.
 */
export const createServiceAccount: ObjectOperations['create'] = async (
  client,
  attributes,
  idempotencyKey,
) => {
  const spec = attributes as unknown as ServiceAccountSpec;
  const contact = {
    id: contactId(spec),
    printAs: `${spec.contact.firstName} ${spec.contact.lastName}`,
    firstName: spec.contact.firstName,
    lastName: spec.contact.lastName,
    email1: spec.contact.email,
  };
  const body: Row = {
    id: spec.id,
    ...userBody({ ...spec, roles: spec.roles?.length ? spec.roles : undefined }),
    accountEmail: spec.email,
    webServices: { isRestricted: true },
    password: { neverExpires: true },
    contact,
  };
  const recover = () => findById(client, USER, spec.id);
  let ref: ObjectRef;
  try {
    ref = await client.create(USER, body, { idempotencyKey, what: `create user ${spec.id}`, recover });
  } catch (err) {
    if (!(err instanceof IntacctApiError) || err.status !== 409 || (await recover())) throw err;
    // The ID is free but the contact exists: left behind by an earlier user of this ID (deleting a
    // user keeps its contact). Link it, brought up to date, instead of creating another.
    const existing = await findById(client, CONTACT, contact.id);
    if (!existing) throw err;
    const { id: _id, ...fields } = contact;
    await client.patch(CONTACT, existing.key, fields, {
      what: `update contact ${contact.id} of user ${spec.id}`,
    });
    ref = await client.create(
      USER,
      { ...body, contact: { key: existing.key } },
      { idempotencyKey: subKey(idempotencyKey, 'existing-contact'), what: `create user ${spec.id}`, recover },
    );
  }
  for (const group of spec.groups ?? []) await addMember(client, ref.key, spec.id, group, idempotencyKey);
  // A new user belongs to exactly the groups just added.
  return readBack(
    readServiceAccount(client, ref.key, refNames(spec.groups ?? [])),
    `user ${spec.id} was created (key ${ref.key}) but cannot be read back`,
  );
};

async function addMember(
  client: IntacctClient,
  userKey: string,
  userId: string,
  group: unknown,
  opKey: string,
) {
  const name = refNames([group])[0]!;
  await client.create(
    MEMBER,
    { userGroup: refBody(group), user: { key: userKey } },
    {
      idempotencyKey: subKey(opKey, `member:${name}`),
      what: `add user ${userId} to user group ${name}`,
      recover: async () => {
        const m = (await membershipsOf(client, userKey)).find((x) => x.group === name);
        return m ? { key: m.key } : undefined;
      },
    },
  );
}

/**
 * Update in the order Intacct requires: the contact first (a new account e-mail is checked
 * against the contact's primary e-mail), then the user (roles[] replaces the whole set), then
 * group memberships (removed and added one object at a time).
 */
export const updateServiceAccount: ObjectOperations['update'] = async (
  client,
  key,
  prior,
  changes,
  idempotencyKey,
) => {
  const id = prior.naturalKey;
  const c = changes as Partial<ServiceAccountSpec>;
  if (c.contact) {
    const user = await client.get(USER, key);
    const contactKey = user ? pickString(user, 'contact.key') : undefined;
    if (!contactKey) throw new Error(`user ${id} has no linked contact to update`);
    const before = (prior.attributes.contact ?? {}) as Partial<ServiceAccountSpec['contact']>;
    const patch = defined({
      firstName: c.contact.firstName !== before.firstName ? c.contact.firstName : undefined,
      lastName: c.contact.lastName !== before.lastName ? c.contact.lastName : undefined,
      email1: c.contact.email !== before.email ? c.contact.email : undefined,
    });
    if (Object.keys(patch).length > 0) {
      await client.patch(CONTACT, contactKey, patch, {
        what: `update the contact of user ${id}`,
        idempotencyKey: subKey(idempotencyKey, 'contact'),
      });
    }
  }
  const body = userBody(c);
  if (c.roles !== undefined) body.roles = c.roles.map(refBody);
  if (Object.keys(body).length > 0) {
    await client.patch(USER, key, body, { what: `update user ${id}`, idempotencyKey });
  }
  if (c.groups !== undefined) {
    const want = new Set(refNames(c.groups));
    const have = await membershipsOf(client, key);
    for (const m of have) {
      if (!want.has(m.group))
        await client.delete(MEMBER, m.key, { what: `remove user ${id} from user group ${m.group}` });
    }
    const present = new Set(have.map((m) => m.group));
    for (const g of c.groups) if (!present.has(g.ref)) await addMember(client, key, id, g, idempotencyKey);
  }
  return readBack(readServiceAccount(client, key), `user ${id} (key ${key}) is no longer in Intacct`);
};

export const deleteServiceAccount: ObjectOperations['delete'] = async (client, key, prior) => {
  await client.delete(USER, key, { what: `delete user ${prior.naturalKey}` });
};
