import type { KindApi, RemoteObject } from '@roster/core';
import { OPERATOR, type Row } from '../../client/client.js';
import { defined, flag, sameCode, text } from '../../client/rows.js';
import type { AfasConnection, AfasContext } from '../../connection.js';
import { compareText, refNames, sortedRefs } from '../common.js';
import { membershipKey } from '../group/api.js';
import type { ServiceAccountSpec } from './spec.js';
import { testServiceAccount } from './test-hook.js';

const KN_USER = 'KnUser';
const userKey = (r: Row) => String(r.UserId ?? '').toLowerCase();

/** A KnUser body: the key in `Fields.UsId` (as AFAS advises clients), `MtCd` as a string. */
export function knUserBody(userId: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { KnUser: { Element: { Fields: { ...fields, UsId: userId } } } };
}

/** A user in spec shape; `groups` without the all-users group, whose membership is implicit. */
export function userToRemote(row: Row, groups: string[]): RemoteObject {
  const userId = text(row, 'UserId') ?? '';
  const blocked = flag(row, 'Blocked');
  return {
    id: userId,
    naturalKey: userId,
    attributes: defined({
      userId,
      name: text(row, 'Description'),
      email: text(row, 'Email'),
      person: text(row, 'PersonId'),
      windows: flag(row, 'Windows'),
      inSite: flag(row, 'InSite'),
      groups: sortedRefs(groups),
      blocked,
    }),
    ...(blocked ? { deactivated: true } : {}),
  };
}

/** Memberships by lower-cased user code, the all-users group left out. */
function groupsByUser(ctx: AfasContext, rows: Row[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const user = text(r, 'UserId');
    const group = text(r, 'GroupId');
    if (!user || !group || sameCode(group, ctx.cfg.allUsersGroup)) continue;
    const list = out.get(user.toLowerCase()) ?? [];
    list.push(group);
    out.set(user.toLowerCase(), list);
  }
  return out;
}

/** Every user with its groups: two GetConnectors, read in parallel, a page of 10,000 rows per call. */
export async function listServiceAccounts(ctx: AfasContext): Promise<RemoteObject[]> {
  const [users, members] = await Promise.all([
    ctx.client.getRows(ctx.cfg.getConnectors.users, { orderBy: ['UserId'], key: userKey }),
    ctx.client.getRows(ctx.cfg.getConnectors.userGroups, {
      orderBy: ['GroupId', 'UserId'],
      key: membershipKey,
    }),
  ]);
  const groups = groupsByUser(ctx, members);
  return users
    .filter((r) => text(r, 'UserId'))
    .map((r) => userToRemote(r, groups.get(userKey(r)) ?? []))
    .sort((a, b) => compareText(a.naturalKey, b.naturalKey));
}

/** One user by code (filtered GetConnectors); undefined when there is none. */
export async function readServiceAccount(
  ctx: AfasContext,
  userId: string,
): Promise<RemoteObject | undefined> {
  const filter = [[{ field: 'UserId', operator: OPERATOR.equals, value: userId }]];
  const [users, members] = await Promise.all([
    ctx.client.getRows(ctx.cfg.getConnectors.users, { filter, orderBy: ['UserId'], key: userKey }),
    ctx.client.getRows(ctx.cfg.getConnectors.userGroups, {
      filter,
      orderBy: ['GroupId', 'UserId'],
      key: membershipKey,
    }),
  ]);
  // Profit compares codes without case: prefer the exact spelling if both exist.
  const row =
    users.find((r) => text(r, 'UserId') === userId) ??
    users.find((r) => sameCode(text(r, 'UserId') ?? '', userId));
  if (!row) return undefined;
  return userToRemote(row, groupsByUser(ctx, members).get(userKey(row)) ?? []);
}

/** Name, e-mail, person and applications as KnUser fields (only those given). */
function fieldsOf(a: Partial<ServiceAccountSpec>): Record<string, unknown> {
  return defined({ Nm: a.name, EmAd: a.email, BcCo: a.person, Awin: a.windows, InSi: a.inSite });
}

/**
 * The fields KnUser's help page lists as mandatory for an INSERT ([H-knuser], "Mandatory fields
 * for an INSERT action": UsId, MtCd, Nm, Awin, Acon, Abac, Acom, Site, InSi), each with an explicit
 * value, plus the optional ones the manifest sets (EmAd, BcCo, GrId). The OpenAPI schema requires
 * only MtCd, UsId and Nm and no longer lists Acon/Abac/Acom (removed in Profit 3, [A-p3]) but does
 * not forbid other properties: sending all nine satisfies both readings (see the contract's notes).
 */
export function insertFields(
  spec: ServiceAccountSpec,
  firstGroup: string | undefined,
): Record<string, unknown> {
  return defined({
    // UsId goes in Fields, not as @UsId (api-notes §1.7: both are documented; clients send Fields.UsId).
    UsId: spec.userId,
    // Entry code 1: "Import users and link them to a group. The group must exist" [H-knuser]; roster
    // never creates groups through KnUser (MtCd 3), they pass the Authorisation tool. A string, as the
    // schema's enum has it.
    MtCd: '1',
    // Description: the manifest's name, else the user code (KnUser refuses an insert without one).
    Nm: spec.name ?? spec.userId,
    // Profit Windows: the manifest's `windows`, else off: AFAS recommends a system user without
    // Profit Windows access per integration (api-notes §1.9).
    Awin: spec.windows ?? false,
    // Connector: on — a token user exists to exchange data through an app connector (Profit_Users
    // reports it as `Connector`).
    Acon: true,
    // Backups from the command line, and the command line: off, an integration user never needs
    // them (least privilege; the help lists both as mandatory, so they are sent, never left to a default).
    Abac: false,
    Acom: false,
    // OutSite: off — roster does not manage OutSite, and it would need an e-mail address [H-knuser].
    Site: false,
    // InSite: the manifest's `inSite`, else off (roster's check asks for Windows or InSite).
    InSi: spec.inSite ?? false,
    // Optional: e-mail (OTP token flow), the person the user is linked to, the first group (MtCd 1 + GrId).
    EmAd: spec.email,
    BcCo: spec.person,
    GrId: firstGroup,
  });
}

async function put(
  ctx: AfasContext,
  userId: string,
  fields: Record<string, unknown>,
  what: string,
): Promise<void> {
  await ctx.client.update(KN_USER, knUserBody(userId, fields), { what: `${what} (KnUser)` });
}

/**
 * Insert a user: one POST (MtCd 1, linked to its first group), one PUT per further group, and a
 * block (MtCd 2) if it is to be created blocked. `connector` (the token, a manual step) and
 * `credentials` (roster's own) are never sent. If the POST's outcome is unknown, the user is looked
 * up before it is sent again.
 */
export async function createServiceAccount(
  ctx: AfasContext,
  attributes: Record<string, unknown>,
): Promise<RemoteObject> {
  const spec = attributes as unknown as ServiceAccountSpec;
  const userId = spec.userId;
  const groups = refNames(spec.groups);
  await ctx.client.insert(KN_USER, knUserBody(userId, insertFields(spec, groups[0])), {
    what: `insert user ${userId} (KnUser)`,
    recover: async () => (await readServiceAccount(ctx, userId)) !== undefined,
  });
  for (const g of groups.slice(1))
    await put(ctx, userId, { MtCd: '1', GrId: g }, `add user ${userId} to group ${g}`);
  if (spec.blocked === true) await put(ctx, userId, { MtCd: '2' }, `block user ${userId}`);
  const created = await readServiceAccount(ctx, userId);
  if (!created)
    throw new Error(
      `user ${userId} was inserted but the ${ctx.cfg.getConnectors.users} GetConnector does not list it`,
    );
  return created;
}

/**
 * Update a user in this order: fields (MtCd 1 keeps the block status), group links, block status.
 * KnUser adds a user to one group at a time (MtCd 1 + GrId) but cannot take it out of one: when a
 * group is to be left, the user is blocked and taken out of every group (MtCd 0), linked to the
 * remaining ones, and unblocked (MtCd 6) unless it is to stay blocked. A crash in between leaves a
 * blocked user with too few groups, which the next plan shows and repairs.
 */
export async function updateServiceAccount(
  ctx: AfasContext,
  userId: string,
  prior: RemoteObject,
  changes: Record<string, unknown>,
): Promise<RemoteObject> {
  const c = changes as Partial<ServiceAccountSpec>;
  const fields = fieldsOf(c);
  if (Object.keys(fields).length > 0)
    await put(ctx, userId, { MtCd: '1', ...fields }, `update user ${userId}`);
  let blockedDone = false;
  if (c.groups !== undefined) {
    const now = await readServiceAccount(ctx, userId);
    if (!now) throw new Error(`user ${userId} is no longer in AFAS Profit`);
    const have = refNames(now.attributes.groups);
    const want = refNames(c.groups);
    const missing = want.filter((g) => !have.some((h) => sameCode(h, g)));
    const extra = have.filter((h) => !want.some((g) => sameCode(h, g)));
    const finalBlocked = c.blocked ?? now.attributes.blocked === true;
    if (extra.length > 0) {
      await put(ctx, userId, { MtCd: '0' }, `block user ${userId} and remove it from all groups`);
      for (const g of want)
        await put(ctx, userId, { MtCd: '1', GrId: g }, `add user ${userId} to group ${g}`);
      if (!finalBlocked) await put(ctx, userId, { MtCd: '6' }, `unblock user ${userId}`);
      blockedDone = true;
    } else {
      for (const g of missing)
        await put(ctx, userId, { MtCd: '1', GrId: g }, `add user ${userId} to group ${g}`);
    }
  }
  if (c.blocked !== undefined && !blockedDone) {
    await put(
      ctx,
      userId,
      { MtCd: c.blocked ? '2' : '6' },
      `${c.blocked ? 'block' : 'unblock'} user ${userId}`,
    );
  }
  const updated = await readServiceAccount(ctx, userId);
  if (!updated) throw new Error(`user ${prior.naturalKey} is no longer in AFAS Profit`);
  return updated;
}

/**
 * A token user's operations: read, insert and update through the GetConnectors and KnUser, and
 * `roster test` with its own token. Profit users are not deleted (removal blocks them), and the
 * token is issued by hand (the runbook's `update` and `rotate` steps).
 */
export const serviceAccountApi: KindApi<AfasConnection> = {
  list: async ({ connection }) => ({ objects: await listServiceAccounts(connection) }),
  read: async ({ connection, id }) => ({ object: await readServiceAccount(connection, id) }),
  create: async ({ connection, attributes }) => ({
    object: await createServiceAccount(connection, attributes),
  }),
  update: async ({ connection, id, prior, changes }) => ({
    object: await updateServiceAccount(connection, id, prior, changes),
  }),
  test: testServiceAccount,
};
