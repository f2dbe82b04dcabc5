import { randomBytes } from 'node:crypto';
import { type FaultSwitch, FaultSwitchError } from '@roster/sim-kit';
import { newTokenData, tokenXml } from '../client/token.js';
import { accessProblems, hashToken, tokensOf } from './access.js';
import { ConsoleError } from './errors.js';
import {
  type AppConnectorRec,
  codeKey,
  type GroupRec,
  memberKey,
  type TableName,
  type TableRecords,
  type TokenRec,
} from './records.js';
import type { SimDb, SimStore, SimTx } from './store.js';

/** A console answer: status and JSON body. */
export interface ConsoleReply {
  status: number;
  body?: unknown;
}

/** An e-mail the environment sent (the OTP of the token flow); kept in memory only. */
export interface OutboxMail {
  to: string;
  subject: string;
  otp: string;
  at: string;
}

const CONNECTOR_ID = /^[A-Za-z0-9_.-]{1,100}$/;
const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function body(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new ConsoleError(400, 'the body is not valid JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new ConsoleError(400, 'the body must be a JSON object');
  return v as Record<string, unknown>;
}

function text(
  b: Record<string, unknown>,
  field: string,
  opts: { max: number; required: boolean },
): string | undefined {
  const v = b[field];
  if (v === undefined || v === null) {
    if (opts.required) throw new ConsoleError(400, `${field} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || v.trim() === '')
    throw new ConsoleError(400, `${field} must be non-empty text`);
  if (v.length > opts.max) throw new ConsoleError(400, `${field} is longer than ${opts.max} characters`);
  return v;
}

function connectorList(b: Record<string, unknown>, field: string): string[] | undefined {
  const v = b[field];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && CONNECTOR_ID.test(x))) {
    throw new ConsoleError(400, `${field} must be a list of connector ids`);
  }
  const seen = new Map<string, string>();
  for (const id of v as string[]) if (!seen.has(id.toLowerCase())) seen.set(id.toLowerCase(), id);
  return [...seen.values()].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
}

/** An app connector as the console shows it (the token values are never shown again). */
export function appConnectorView(db: SimDb, a: AppConnectorRec): Record<string, unknown> {
  const tokens = db
    .table('token')
    .values()
    .filter((t) => t.appConnector === a.key && !t.deletedAt);
  return {
    id: a.key,
    description: a.description,
    group: db.table('group').get(a.group)?.id ?? a.group,
    getConnectors: a.getConnectors,
    updateConnectors: a.updateConnectors,
    blocked: a.blocked,
    apiKey: a.apiKey,
    tokens: tokens.length,
    createdAt: a.createdAt,
    modifiedAt: a.modifiedAt,
  };
}

function tokenView(db: SimDb, t: TokenRec): Record<string, unknown> {
  return {
    id: t.key,
    userId: db.table('user').get(t.user)?.userId ?? t.user,
    description: t.description,
    createdAt: t.createdAt,
  };
}

function groupView(db: SimDb, g: GroupRec): Record<string, unknown> {
  const members = g.builtIn
    ? db.table('user').values().length
    : db
        .table('member')
        .values()
        .filter((m) => m.group === g.key).length;
  return { id: g.id, description: g.description, builtIn: g.builtIn === true, members };
}

/** Every record of a table, each as the console shows it. */
function listView<T extends TableName>(
  db: SimDb,
  table: T,
  show: (db: SimDb, rec: TableRecords[T]) => Record<string, unknown>,
): Array<Record<string, unknown>> {
  return db
    .table(table)
    .values()
    .map((r) => show(db, r));
}

function mustAppConnector(db: SimDb, id: string): AppConnectorRec {
  const a = db.table('appConnector').get(id);
  if (!a) throw new ConsoleError(404, `no app connector ${id}`);
  return a;
}

function mustGroup(db: SimDb, id: string): GroupRec {
  const g = db.table('group').get(codeKey(id));
  if (!g) throw new ConsoleError(404, `no user group ${id}`);
  return g;
}

function checkUniqueDescription(db: SimDb, description: string, except?: string): void {
  const clash = db
    .table('appConnector')
    .values()
    .find((a) => a.key !== except && a.description.toLowerCase() === description.toLowerCase());
  if (clash)
    throw new ConsoleError(
      409,
      `app connector ${clash.key} already has the description '${clash.description}'`,
    );
}

/**
 * Issue a user token on an app connector, as App connector › User tokens › New does: the user must
 * be a member of the app connector's user group, the description must be unique. The token is in
 * the answer only; the store keeps its hash.
 */
export function issueToken(
  tx: SimTx,
  a: AppConnectorRec,
  userId: string,
  description: string,
): { record: TokenRec; token: string } {
  const user = tx.table('user').get(codeKey(userId));
  if (!user) throw new ConsoleError(404, `no user ${userId}`);
  const problems = accessProblems(tx, user, a, { checkToken: false }).filter((p) =>
    p.includes('not a member'),
  );
  if (problems.length > 0) throw new ConsoleError(409, problems[0]!);
  const clash = tx
    .table('token')
    .values()
    .find(
      (t) =>
        t.appConnector === a.key && !t.deletedAt && t.description.toLowerCase() === description.toLowerCase(),
    );
  if (clash)
    throw new ConsoleError(
      409,
      `a token with the description '${description}' already exists on this app connector`,
    );
  const data = newTokenData();
  const record: TokenRec = {
    key: tx.newKey('token'),
    appConnector: a.key,
    user: user.key,
    description,
    hash: hashToken(data),
    createdAt: timestamp(),
  };
  tx.put('token', record);
  return { record, token: tokenXml(data) };
}

/**
 * The admin console under `/__sandbox/`: it stands in for Profit's UI (the Authorisation tool and
 * General › Management › App connector), which is the only way to manage what the API cannot —
 * user groups, app connectors, their connector lists and blocking, user tokens — and gives tests a
 * view of the state, the fault switches, the e-mails sent, and whether a user can exchange data.
 */
export async function handleConsole(
  store: SimStore,
  faults: FaultSwitch,
  outbox: readonly OutboxMail[],
  method: string,
  path: string,
  query: URLSearchParams,
  raw: string,
): Promise<ConsoleReply> {
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  const route = `${method} /${seg
    .map((s, i) =>
      i % 2 === 1 && ['groups', 'app-connectors', 'tokens', 'members'].includes(seg[i - 1]!) ? ':id' : s,
    )
    .join('/')}`;
  const ok = (b: unknown, status = 200): ConsoleReply => ({ status, body: b });

  switch (route) {
    case 'GET /state':
      return store.read((db) => {
        const tables = store.dump();
        // Token hashes are not tokens, but nobody needs them in a dump.
        tables.token = db
          .table('token')
          .values()
          .map(({ hash: _hash, ...t }) => t);
        return ok({ environment: store.environment, file: store.file ?? null, tables });
      });
    case 'GET /faults':
      return ok(faults.get());
    case 'POST /faults':
      try {
        return ok(faults.set(body(raw)));
      } catch (err) {
        if (err instanceof FaultSwitchError) throw new ConsoleError(400, `${err.message} (${err.pointer})`);
        throw err;
      }
    case 'GET /outbox':
      return ok(outbox);
    case 'GET /groups':
      return store.read((db) => ok(listView(db, 'group', groupView)));
    case 'POST /groups': {
      const b = body(raw);
      const id = text(b, 'id', { max: 20, required: true })!;
      const description = text(b, 'description', { max: 50, required: true })!;
      return store.transact((tx) => {
        if (tx.table('group').get(codeKey(id)))
          throw new ConsoleError(409, `user group ${id} already exists`);
        const g: GroupRec = { key: codeKey(id), id, description };
        tx.put('group', g);
        return ok(groupView(tx, g), 201);
      });
    }
    case 'GET /groups/:id':
      return store.read((db) => ok(groupView(db, mustGroup(db, seg[1]!))));
    case 'PATCH /groups/:id': {
      const b = body(raw);
      const description = text(b, 'description', { max: 50, required: true })!;
      return store.transact((tx) => {
        const g = { ...mustGroup(tx, seg[1]!), description };
        tx.put('group', g);
        return ok(groupView(tx, g));
      });
    }
    case 'DELETE /groups/:id':
      return store.transact((tx) => {
        const g = mustGroup(tx, seg[1]!);
        if (g.builtIn)
          throw new ConsoleError(409, `${g.id} is the group of all Profit users; it cannot be deleted`);
        const linked = tx
          .table('appConnector')
          .values()
          .find((a) => a.group === g.key);
        if (linked) {
          throw new ConsoleError(
            409,
            `user group ${g.id} is still linked to app connector '${linked.description}'; a group linked to other data cannot be deleted`,
          );
        }
        for (const m of tx
          .table('member')
          .values()
          .filter((x) => x.group === g.key))
          tx.del('member', m.key);
        tx.del('group', g.key);
        return { status: 204 };
      });
    case 'PUT /groups/:id/members/:id':
    case 'DELETE /groups/:id/members/:id':
      return store.transact((tx) => {
        const g = mustGroup(tx, seg[1]!);
        const user = tx.table('user').get(codeKey(seg[3]!));
        if (!user) throw new ConsoleError(404, `no user ${seg[3]}`);
        if (g.builtIn) throw new ConsoleError(409, `every user is a member of ${g.id}`);
        const key = memberKey(g.key, user.key);
        if (method === 'PUT') tx.put('member', { key, group: g.key, user: user.key });
        else tx.del('member', key);
        return ok(groupView(tx, g));
      });
    case 'GET /app-connectors':
      return store.read((db) => ok(listView(db, 'appConnector', appConnectorView)));
    case 'POST /app-connectors': {
      const b = body(raw);
      const description = text(b, 'description', { max: 80, required: true })!;
      const group = text(b, 'group', { max: 20, required: true })!;
      const getConnectors = connectorList(b, 'getConnectors') ?? [];
      const updateConnectors = connectorList(b, 'updateConnectors') ?? [];
      if (b.blocked !== undefined && b.blocked !== true) {
        throw new ConsoleError(400, 'a new app connector starts blocked; unblock it with a later PATCH');
      }
      return store.transact((tx) => {
        const g = mustGroup(tx, group);
        checkUniqueDescription(tx, description);
        const now = timestamp();
        const a: AppConnectorRec = {
          key: tx.newKey('appConnector'),
          description,
          group: g.key,
          getConnectors,
          updateConnectors,
          blocked: true,
          apiKey: randomBytes(16).toString('hex').toUpperCase(),
          createdAt: now,
          modifiedAt: now,
        };
        tx.put('appConnector', a);
        return ok(appConnectorView(tx, a), 201);
      });
    }
    case 'GET /app-connectors/:id':
      return store.read((db) => ok(appConnectorView(db, mustAppConnector(db, seg[1]!))));
    case 'PATCH /app-connectors/:id': {
      const b = body(raw);
      const description = text(b, 'description', { max: 80, required: false });
      const group = text(b, 'group', { max: 20, required: false });
      const getConnectors = connectorList(b, 'getConnectors');
      const updateConnectors = connectorList(b, 'updateConnectors');
      if (b.blocked !== undefined && typeof b.blocked !== 'boolean')
        throw new ConsoleError(400, 'blocked must be true or false');
      return store.transact((tx) => {
        const a = { ...mustAppConnector(tx, seg[1]!) };
        if (description !== undefined) {
          checkUniqueDescription(tx, description, a.key);
          a.description = description;
        }
        if (group !== undefined) a.group = mustGroup(tx, group).key;
        if (getConnectors) a.getConnectors = getConnectors;
        if (updateConnectors) a.updateConnectors = updateConnectors;
        if (typeof b.blocked === 'boolean') a.blocked = b.blocked;
        a.modifiedAt = timestamp();
        tx.put('appConnector', a);
        return ok(appConnectorView(tx, a));
      });
    }
    case 'DELETE /app-connectors/:id':
      return store.transact((tx) => {
        const a = mustAppConnector(tx, seg[1]!);
        const now = timestamp();
        for (const t of tx
          .table('token')
          .values()
          .filter((x) => x.appConnector === a.key && !x.deletedAt)) {
          tx.put('token', { ...t, deletedAt: now });
        }
        tx.del('appConnector', a.key);
        return { status: 204 };
      });
    case 'GET /app-connectors/:id/tokens':
      return store.read((db) => {
        const a = mustAppConnector(db, seg[1]!);
        const userId = query.get('userId');
        const list = db
          .table('token')
          .values()
          .filter((t) => t.appConnector === a.key && !t.deletedAt)
          .filter((t) => !userId || t.user === codeKey(userId));
        return ok(list.map((t) => tokenView(db, t)));
      });
    case 'POST /app-connectors/:id/tokens': {
      const b = body(raw);
      const userId = text(b, 'userId', { max: 80, required: true })!;
      const description = text(b, 'description', { max: 80, required: true })!;
      return store.transact((tx) => {
        const { record, token } = issueToken(tx, mustAppConnector(tx, seg[1]!), userId, description);
        // The only time the token is shown, as in the wizard.
        return ok({ ...tokenView(tx, record), token }, 201);
      });
    }
    case 'DELETE /app-connectors/:id/tokens/:id':
      return store.transact((tx) => {
        const a = mustAppConnector(tx, seg[1]!);
        const t = tx.table('token').get(seg[3]!);
        if (!t || t.deletedAt || t.appConnector !== a.key)
          throw new ConsoleError(404, `no token ${seg[3]} on app connector ${a.key}`);
        tx.put('token', { ...t, deletedAt: timestamp() });
        return { status: 204 };
      });
    case 'GET /access':
      return store.read((db) => {
        const userId = query.get('userId') ?? '';
        const appConnector = query.get('appConnector') ?? '';
        const user = db.table('user').get(codeKey(userId));
        if (!user) throw new ConsoleError(404, `no user ${userId}`);
        const a = mustAppConnector(db, appConnector);
        const problems = accessProblems(db, user, a, { checkToken: true });
        return ok({
          userId: user.userId,
          appConnector: a.key,
          allowed: problems.length === 0,
          problems,
          tokens: tokensOf(db, a.key, user.key).length,
        });
      });
    default:
      throw new ConsoleError(404, `${method} /__sandbox${path} is not a console route`);
  }
}
