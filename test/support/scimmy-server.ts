import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

/** A SCIM 2.0 server roster did not write: scimmy's resources and routers, storage in memory. */
export interface ScimmyServer {
  /** Base URL of the SCIM endpoints, e.g. `http://127.0.0.1:41234/scim/v2`. */
  url: string;
  /** The bearer token it accepts. */
  token: string;
  /** The users and groups it holds (what a person changes by hand is changed here). */
  users: Map<string, Row>;
  groups: Map<string, Row>;
  close(): Promise<void>;
}

type Row = Record<string, unknown> & { id: string; meta: { created: string; lastModified: string } };

/** Deep copy through JSON: scimmy's instances carry getters and prototypes that must not be stored. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

let declared: { users: Map<string, Row>; groups: Map<string, Row> } | undefined;

/**
 * scimmy declares resources globally, once per process: the handlers read and write the maps of the
 * server currently started (a test file starts one at a time).
 */
function declareResources(store: { users: Map<string, Row>; groups: Map<string, Row> }): void {
  const first = declared === undefined;
  declared = store;
  if (!first) return;
  const handlers = (table: 'users' | 'groups', unique: string | undefined) => ({
    egress: (resource: { id?: string; filter?: { match(rows: unknown[]): unknown[] } }) => {
      const rows = declared![table];
      if (resource.id !== undefined) {
        const row = rows.get(resource.id);
        if (!row) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
        return withGroups(table, plain(row));
      }
      const all = [...rows.values()].map((r) => withGroups(table, plain(r)));
      return resource.filter ? resource.filter.match(all) : all;
    },
    ingress: (resource: { id?: string }, instance: Record<string, unknown>) => {
      const rows = declared![table];
      const now = new Date().toISOString();
      const prior = resource.id !== undefined ? rows.get(resource.id) : undefined;
      if (resource.id !== undefined && !prior)
        throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
      if (unique !== undefined) {
        const value = String(instance[unique] ?? '').toLowerCase();
        for (const r of rows.values())
          if (r.id !== resource.id && String(r[unique] ?? '').toLowerCase() === value)
            throw new SCIMMY.Types.Error(409, 'uniqueness', `${unique} ${String(instance[unique])} is taken`);
      }
      const { groups: _readOnly, ...data } = plain(instance);
      const row = {
        ...data,
        id: prior?.id ?? randomUUID(),
        meta: { created: prior?.meta.created ?? now, lastModified: now },
      } as Row;
      rows.set(row.id, row);
      return withGroups(table, plain(row));
    },
    degress: (resource: { id?: string }) => {
      if (resource.id === undefined || !declared![table].delete(resource.id))
        throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
    },
  });
  SCIMMY.Resources.declare(SCIMMY.Resources.User, {
    ...handlers('users', 'userName'),
    extensions: [{ schema: SCIMMY.Schemas.EnterpriseUser, required: false }],
  });
  SCIMMY.Resources.declare(SCIMMY.Resources.Group, handlers('groups', undefined));
}

/** A user's `groups` (readOnly) as the server derives it from group membership. */
function withGroups(table: 'users' | 'groups', row: Row): Row {
  if (table !== 'users') return row;
  const groups = [...declared!.groups.values()]
    .filter((g) =>
      ((g.members as Array<{ value: string }> | undefined) ?? []).some((m) => m.value === row.id),
    )
    .map((g) => ({ value: g.id, display: g.displayName }));
  return groups.length > 0 ? { ...row, groups } : row;
}

/** Start the server on loopback, on a free port, accepting `Authorization: Bearer <token>` only. */
export async function startScimmyServer(): Promise<ScimmyServer> {
  const users = new Map<string, Row>();
  const groups = new Map<string, Row>();
  declareResources({ users, groups });
  const token = `scimmy-${randomUUID()}`;
  const app = express();
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (req) => {
        if (req.header('authorization') !== `Bearer ${token}`) throw new Error('Not authenticated');
        return 'roster';
      },
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    token,
    users,
    groups,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
