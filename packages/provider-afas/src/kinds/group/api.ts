import type { KindApi, RemoteObject } from '@roster/core';
import { OPERATOR, type Row } from '../../client/client.js';
import { defined, sameCode, text } from '../../client/rows.js';
import type { AfasConnection, AfasContext } from '../../connection.js';
import { compareText } from '../common.js';

/** Group id and the description, which AFAS's spec spells `Decription` (the real field may be `Description`). */
function groupOf(row: Row): { id: string; description: string | undefined } | undefined {
  const id = text(row, 'GroupId');
  return id ? { id, description: text(row, 'Decription', 'Description') } : undefined;
}

function toRemote(g: { id: string; description: string | undefined }): RemoteObject {
  return { id: g.id, naturalKey: g.id, attributes: defined({ id: g.id, description: g.description }) };
}

/** Row identity in the memberships GetConnector: group and user. */
export const membershipKey = (r: Row) =>
  `${String(r.GroupId ?? '').toLowerCase()}\u0000${String(r.UserId ?? '').toLowerCase()}`;

/**
 * Every user group, from the memberships GetConnector (one row per user and group; a group
 * appears once whatever its number of members). A group with no members is listed only if the
 * GetConnector gives it a row of its own (the simulator does, with `UserId` null).
 */
export async function listGroups(ctx: AfasContext): Promise<RemoteObject[]> {
  const rows = await ctx.client.getRows(ctx.cfg.getConnectors.userGroups, {
    orderBy: ['GroupId', 'UserId'],
    key: membershipKey,
  });
  const groups = new Map<string, { id: string; description: string | undefined }>();
  for (const r of rows) {
    const g = groupOf(r);
    if (g && !groups.has(g.id.toLowerCase())) groups.set(g.id.toLowerCase(), g);
  }
  return [...groups.values()].map(toRemote).sort((a, b) => compareText(a.naturalKey, b.naturalKey));
}

/** One group by code; undefined when the GetConnector has no row for it. */
export async function readGroup(ctx: AfasContext, id: string): Promise<RemoteObject | undefined> {
  const rows = await ctx.client.getRows(ctx.cfg.getConnectors.userGroups, {
    filter: [[{ field: 'GroupId', operator: OPERATOR.equals, value: id }]],
    orderBy: ['GroupId', 'UserId'],
    key: membershipKey,
  });
  const groups = rows.map(groupOf).filter((g) => g !== undefined);
  const g = groups.find((x) => x.id === id) ?? groups.find((x) => sameCode(x.id, id));
  return g ? toRemote(g) : undefined;
}

/** A user group's operations: read through the memberships GetConnector; every write is by hand. */
export const groupApi: KindApi<AfasConnection> = {
  list: async ({ connection }) => ({ objects: await listGroups(connection) }),
  read: async ({ connection, id }) => ({ object: await readGroup(connection, id) }),
};
