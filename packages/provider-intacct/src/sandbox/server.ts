import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type FaultSwitch,
  FaultSwitchError,
  faultSwitchOf,
  type JsonReply,
  listenOptions,
  readSandboxBody,
  type SimulatorBase,
  type SimulatorBaseOptions,
  sendJsonReply,
  startHttpServer,
  storeOptions,
} from '@roster/sim-kit';
import { OAuthError, parseUsername, type SimCredentials, type TokenClaims, TokenService } from './auth.js';
import { badRequest, conflict, errorBody, methodNotAllowed, notFound, SimError } from './errors.js';
import { hrefOf, OBJECTS, type ObjectDef, objectByName, view } from './model.js';
import { type Actor, markActivated, mustGet, WRITERS, type WriteContext } from './objects.js';
import { checkQueryPermission } from './permissions.js';
import { QueryCache, queryObject, runQuery } from './query.js';
import type { TableName } from './records.js';
import { seedBulk, seedCompany, seedPermissions } from './seed.js';
import { SimStore, type SimTx } from './store.js';

export interface SimulatorOptions extends SimulatorBaseOptions {
  /** Directory to persist the company in (`<dir>/intacct-<companyId>.json`); undefined keeps it in memory. */
  dir?: string;
  companyId: string;
  /** When set, the token endpoint accepts only this client and user; otherwise any. */
  credentials?: SimCredentials;
  /**
   * roster's read-only account (`credentials.read`): also accepted, and every write it attempts is
   * refused with 403, as Intacct refuses a user whose role grants List and View but not Add, Edit
   * or Delete.
   */
  readCredentials?: SimCredentials;
  /** Access-token lifetime (default 43,200 s, as Intacct issues). */
  tokenLifetimeSeconds?: number;
}

/** A running simulator. */
export interface Simulator extends SimulatorBase {
  /** Base URL, e.g. `http://127.0.0.1:43123` (API under `/ia/api/v1`). */
  url: string;
  store: SimStore;
  tokens: TokenService;
}

const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const ok = (result: unknown): JsonReply => ({
  status: 200,
  body: { 'ia::result': result, 'ia::meta': { totalCount: 1, totalSuccess: 1, totalError: 0 } },
});
const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Start the Sage Intacct simulator: the REST paths of `/ia/api/v1` (and `/ia/api/v1-beta2`), the
 * OAuth2 token endpoint, the query service, and an admin console under `/__sandbox/` that stands
 * in for the Intacct UI (state dump, fault switches, "the integration signed in", bulk seed).
 */
export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const store = await SimStore.open({
    ...storeOptions(opts),
    companyId: opts.companyId,
    init: seedCompany,
  });
  // A sandbox made before the permission catalogue existed gets it now (seedCompany makes it for new ones).
  if ((await store.read((db) => db.table('permission').size)) === 0) await store.transact(seedPermissions);
  const faults = faultSwitchOf(opts);
  const tokens = new TokenService({
    companyId: opts.companyId,
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.readCredentials ? { readCredentials: opts.readCredentials } : {}),
    ...(opts.tokenLifetimeSeconds !== undefined ? { lifetimeSeconds: opts.tokenLifetimeSeconds } : {}),
  });
  const app = new SimulatorApp(store, faults, tokens, opts.companyId);
  const server = await startHttpServer({
    ...listenOptions(opts),
    handle: (req, res) => app.handle(req, res),
    failureReply: (err) => ({
      status: 500,
      body: errorBody(new SimError(500, 'internalServerError', String(err))),
    }),
    onClose: () => store.close(),
  });
  return { url: server.url, consoleToken: server.consoleToken, store, faults, tokens, close: server.close };
}

const readBody = (req: IncomingMessage): Promise<string> =>
  readSandboxBody(req, () => new SimError(413, 'payloadTooLarge', 'The request body is too large'));

function parseJson(text: string): unknown {
  if (text.trim() === '') throw badRequest('The request body is empty', '/');
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON', '/');
  }
}

function errorReply(err: unknown): JsonReply {
  if (err instanceof SimError) return { status: err.status, body: errorBody(err), headers: err.headers };
  if (err instanceof OAuthError)
    return { status: err.status, body: { error: err.error, error_description: err.message } };
  return {
    status: 500,
    body: errorBody(
      new SimError(
        500,
        'internalServerError',
        `The simulator failed: ${(err as Error)?.message ?? String(err)}`,
      ),
    ),
  };
}

class SimulatorApp {
  /** API requests served (the admin console's are not counted): `GET /__sandbox/stats`. */
  #apiRequests = 0;
  readonly #cache = new QueryCache();
  constructor(
    readonly store: SimStore,
    readonly faults: FaultSwitch,
    readonly tokens: TokenService,
    readonly companyId: string,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith('/__sandbox/')) {
      let reply: JsonReply;
      try {
        reply = await this.admin(
          req.method ?? 'GET',
          url.pathname.slice('/__sandbox'.length),
          await readBody(req),
        );
      } catch (err) {
        reply = errorReply(err);
      }
      sendJsonReply(res, reply);
      return;
    }
    const m = /^\/ia\/api\/(?:v1|v1-beta2)(\/.*)$/.exec(url.pathname);
    if (!m) {
      sendJsonReply(res, {
        status: 404,
        body: errorBody(notFound(`${url.pathname} is not an Intacct API path (try /ia/api/v1/…)`)),
      });
      return;
    }
    this.#apiRequests++;
    const { fault, retryAfterSeconds } = await this.faults.strike();
    if (fault.kind === 'drop' && fault.when === 'before') {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'throttle') {
      const s = String(retryAfterSeconds);
      sendJsonReply(res, {
        status: 429,
        headers: {
          'retry-after': s,
          'x-ia-throttle-limit': '100',
          'x-ia-throttle-limit-remaining': '0',
          'x-ia-throttle-limit-retryafter': s,
        },
        body: errorBody(
          new SimError(
            429,
            'GW-0010',
            `Too many requests for company ${this.companyId}; retry after ${s} s`,
            { shape: 'top' },
          ),
        ),
      });
      return;
    }
    if (fault.kind === 'error') {
      const err =
        fault.status === 503
          ? new SimError(
              503,
              'serviceUnavailable',
              'The service is temporarily unavailable; try again later',
              {
                headers: { 'retry-after': String(retryAfterSeconds) },
              },
            )
          : new SimError(500, 'internalServerError', 'An unexpected error occurred (simulated)');
      sendJsonReply(res, { status: err.status, body: errorBody(err), headers: err.headers });
      return;
    }
    let reply: JsonReply;
    try {
      reply = await this.api(req, m[1]!, url, () => readBody(req));
    } catch (err) {
      reply = errorReply(err);
    }
    if (fault.kind === 'drop') {
      // The change is made, but the client never hears about it.
      req.socket.destroy();
      return;
    }
    sendJsonReply(res, reply);
  }

  async api(
    req: IncomingMessage,
    path: string,
    url: URL,
    readRaw: () => Promise<string>,
  ): Promise<JsonReply> {
    const method = req.method ?? 'GET';
    if (path === '/oauth2/token') {
      if (method !== 'POST') throw methodNotAllowed(method, '/oauth2/token');
      return this.token(req, await readRaw());
    }
    const claims = this.authenticate(req);
    // Read only once the caller is known: an unauthenticated body is never buffered.
    const raw = await readRaw();
    if (path === '/services/core/query') {
      if (method !== 'POST') throw methodNotAllowed(method, '/services/core/query');
      const body = parseJson(raw);
      return {
        status: 200,
        body: await this.store.read((db) => {
          const object = queryObject(body);
          if (object) checkQueryPermission(db, claims, object);
          return runQuery(db, body, this.#cache, this.store.version);
        }),
      };
    }
    if (path === '/services/core/model') {
      if (method !== 'GET') throw methodNotAllowed(method, '/services/core/model');
      return this.model(url.searchParams.get('name') ?? '');
    }
    const om = /^\/objects\/([a-z-]+)\/([a-z-]+)(?:\/([^/]+))?$/.exec(path);
    const def = om && om[1] === 'company-config' ? objectByName(om[2]!) : undefined;
    if (!om || !def) throw notFound(`${path} is not an object this sandbox serves`);
    const key = om[3] !== undefined ? decodeURIComponent(om[3]) : undefined;
    const allowed = def.methods.has(method as 'GET');
    const what = def.object + (key !== undefined ? '/{key}' : '');
    if (key === undefined) {
      if (method === 'GET') return this.collection(def, url);
      if (method !== 'POST' || !allowed) throw methodNotAllowed(method, what);
      return this.write(req, claims, raw, (tx, ctx) => {
        const rec = WRITERS[def.table]!.create!(tx, parseJson(raw) as never, ctx) as unknown as {
          key: string;
        };
        return { status: 201, body: ok(this.ref(def, rec)).body };
      });
    }
    if (method === 'GET' && allowed) {
      return this.store.read((db) => ok(view(db, def, mustGet(db, def.table, key))));
    }
    if (!allowed || (method !== 'PATCH' && method !== 'DELETE')) throw methodNotAllowed(method, what);
    const writer = WRITERS[def.table] as
      | {
          patch?(tx: SimTx, rec: unknown, body: unknown, ctx: WriteContext): { key: string };
          remove?(tx: SimTx, rec: unknown, ctx: WriteContext): void;
        }
      | undefined;
    if (method === 'PATCH') {
      return this.write(req, claims, raw, (tx, ctx) => {
        const rec = mustGet(tx, def.table, key);
        const body = parseJson(raw);
        const next = writer!.patch!(tx, rec, body, ctx);
        return ok(this.ref(def, next));
      });
    }
    return this.write(req, claims, raw, (tx, ctx) => {
      writer!.remove!(tx, mustGet(tx, def.table, key), ctx);
      return { status: 204 };
    });
  }

  /** `{key, id, href}` of a record, the answer of create and update. */
  ref(def: ObjectDef, rec: { key: string }): Record<string, unknown> {
    const id = (rec as { id?: unknown }).id;
    return { key: rec.key, id: typeof id === 'string' ? id : rec.key, href: hrefOf(def.table, rec.key) };
  }

  authenticate(req: IncomingMessage): TokenClaims {
    const h = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    const claims = m ? this.tokens.verify(m[1]!) : undefined;
    if (!claims) {
      throw new SimError(
        401,
        'invalidToken',
        m
          ? 'The access token is invalid or has expired'
          : 'An OAuth2 bearer token is required (Authorization: Bearer …)',
        { shape: 'top', headers: { 'www-authenticate': 'Bearer error="invalid_token"' } },
      );
    }
    return claims;
  }

  /**
   * Who `audit` names. A sandbox accepts sign-ins for users it does not have (placeholder or
   * declared credentials); their user ID is a credential value, so it is never written to the
   * sandbox files: such a caller is recorded under a stable pseudonym instead.
   */
  actor(tx: SimTx, claims: TokenClaims): Actor {
    const u = tx.table('user').first('id', claims.sub.toLowerCase());
    return u ? { id: u.id, key: u.key } : { id: pseudonym(claims.sub) };
  }

  /**
   * One write transaction, with `Idempotency-Key`: the same key and request replays the first
   * answer; the same key with another request is a 409.
   */
  async write(
    req: IncomingMessage,
    claims: TokenClaims,
    raw: string,
    fn: (tx: SimTx, ctx: WriteContext) => JsonReply,
  ): Promise<JsonReply> {
    if (claims.ro) {
      // Intacct documents 403 for insufficient permission. The message does not name the user:
      // roster's own user ID is a credential value.
      throw new SimError(
        403,
        'permissionDenied',
        'This sign-in is read-only: its role grants List and View, not Add, Edit or Delete',
        { shape: 'top' },
      );
    }
    const idemHeader = req.headers['idempotency-key'];
    const idem = Array.isArray(idemHeader) ? idemHeader[0] : idemHeader;
    const hash = createHash('sha256')
      .update(
        `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname.replace('/v1-beta2/', '/v1/')}\n${raw}`,
      )
      .digest('hex');
    return this.store.transact((tx) => {
      const actor = this.actor(tx, claims);
      const ctx: WriteContext = { actor, now: timestamp() };
      const scoped = idem ? `${pseudonym(claims.sub)}\u0000${idem}` : undefined;
      if (scoped) {
        const prev = tx.table('idempotency').get(scoped);
        if (prev && Date.now() - prev.at < IDEMPOTENCY_TTL_MS) {
          if (prev.hash !== hash)
            throw conflict(`Idempotency-Key ${idem} was already used with a different request`);
          return { status: prev.status, body: prev.body, headers: { 'idempotent-replayed': 'true' } };
        }
      }
      const reply = fn(tx, ctx);
      if (scoped) {
        tx.put('idempotency', { key: scoped, hash, status: reply.status, body: reply.body, at: Date.now() });
        pruneIdempotency(tx);
      }
      return reply;
    });
  }

  async token(req: IncomingMessage, raw: string): Promise<JsonReply> {
    const type = req.headers['content-type'] ?? '';
    let form: Record<string, string | undefined>;
    if (type.includes('application/json')) {
      const body = parseJson(raw);
      form = Object.fromEntries(
        Object.entries(body as object).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]),
      );
    } else {
      form = Object.fromEntries(new URLSearchParams(raw));
    }
    if (form.grant_type === 'refresh_token') return { status: 200, body: this.tokens.refresh(form) };
    if (form.grant_type !== 'client_credentials') {
      throw new OAuthError(
        400,
        'unsupported_grant_type',
        'This sandbox supports the client_credentials and refresh_token grants',
      );
    }
    const asked = parseUsername(form.username ?? '');
    const userExists = asked
      ? await this.store.read((db) => db.table('user').first('id', asked.userId.toLowerCase()) !== undefined)
      : false;
    const who = this.tokens.clientCredentials(form, { userExists });
    if (who.companyId.toLowerCase() === this.companyId.toLowerCase()) {
      // Signing in "activates" the user ID: from then on Intacct refuses to delete it.
      const state = await this.store.read((db) => {
        const u = db.table('user').first('id', who.userId.toLowerCase());
        return u ? { status: u.status, activated: u.everActivated, id: u.id } : undefined;
      });
      if (state && state.status !== 'active') {
        throw new OAuthError(
          401,
          'invalid_grant',
          `User ${state.id} is ${state.status === 'lockedOut' ? 'locked' : state.status} and cannot sign in`,
        );
      }
      if (state && !state.activated) {
        await this.store.transact((tx) => {
          const u = tx.table('user').first('id', who.userId.toLowerCase());
          if (u) markActivated(tx, u);
        });
      }
    }
    return {
      status: 200,
      body: this.tokens.issue(who.userId, who.companyId, who.entityId, who.readOnly === true),
    };
  }

  collection(def: ObjectDef, url: URL): Promise<JsonReply> {
    const start = Math.max(1, Number(url.searchParams.get('start') ?? 1) || 1);
    const size = Math.min(4000, Math.max(1, Number(url.searchParams.get('size') ?? 100) || 100));
    return this.store.read((db) => {
      const keys = [...db.table(def.table).values()].map((r) => r.key).sort((a, b) => Number(a) - Number(b));
      const page = keys.slice(start - 1, start - 1 + size);
      return {
        status: 200,
        body: {
          'ia::result': page.map((k) => this.ref(def, db.table(def.table).get(k)!)),
          'ia::meta': {
            totalCount: keys.length,
            start,
            pageSize: size,
            next: start - 1 + size < keys.length ? start + size : null,
            previous: start > 1 ? Math.max(1, start - size) : null,
          },
        },
      };
    });
  }

  model(name: string): JsonReply {
    const def = objectByName(name);
    if (!def) throw notFound(`${name || '(no name)'} is not an object this sandbox serves`);
    const fields: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(def.fields)) {
      fields[k] = {
        type: f.t === 'ref' || f.t === 'refs' ? 'object' : 'string',
        readOnly: k === 'key' || k === 'href' || k === 'audit' || f.t === 'computed',
        ...(f.t === 'ref' || f.t === 'refs' ? { references: `company-config/${f.target}` } : {}),
      };
    }
    return ok({ name: def.object, fields });
  }

  async admin(method: string, path: string, raw: string): Promise<JsonReply> {
    // How many requests a client made, counted by the system rather than the client (`pnpm bench`).
    if (path === '/stats' && method === 'GET')
      return { status: 200, body: { apiRequests: this.#apiRequests } };
    if (path === '/state' && method === 'GET') {
      return this.store.read((db) => {
        const tables: Record<string, unknown[]> = {};
        const counts: Record<string, number> = {};
        for (const name of Object.keys(OBJECTS) as TableName[]) {
          tables[name] = [...db.table(name).values()];
          counts[name] = db.table(name).size;
        }
        return {
          status: 200,
          body: { companyId: this.companyId, file: this.store.file ?? null, counts, tables },
        };
      });
    }
    if (path === '/faults') {
      if (method === 'GET') return { status: 200, body: this.faults.get() };
      if (method === 'POST') {
        try {
          return { status: 200, body: this.faults.set(parseJson(raw)) };
        } catch (err) {
          if (err instanceof FaultSwitchError) throw badRequest(err.message, err.pointer);
          throw err;
        }
      }
    }
    const login = /^\/users\/([^/]+)\/login$/.exec(path);
    if (login && method === 'POST') {
      const id = decodeURIComponent(login[1]!);
      return this.store.transact((tx) => {
        const u = tx.table('user').first('id', id.toLowerCase());
        if (!u) throw notFound(`no user with ID ${id}`);
        markActivated(tx, u);
        return { status: 200, body: { id: u.id, everActivated: true } };
      });
    }
    // The UI's Edit › Reset password: Intacct e-mails the user a permanent password, shown here once.
    const reset = /^\/users\/([^/]+)\/reset-password$/.exec(path);
    if (reset && method === 'POST') {
      const id = decodeURIComponent(reset[1]!);
      return this.store.transact((tx) => {
        const u = tx.table('user').first('id', id.toLowerCase());
        if (!u) throw notFound(`no user with ID ${id}`);
        const password = randomBytes(18).toString('base64url');
        const salt = randomBytes(16).toString('hex');
        const hash = createHash('sha256').update(`${salt}\u0000${password}`).digest('hex');
        tx.put('user', {
          ...u,
          password: { ...u.password, requiresReset: false },
          passwordReset: { hash, salt, at: new Date().toISOString() },
        });
        return { status: 200, body: { id: u.id, password } };
      });
    }
    if (path === '/seed' && method === 'POST') {
      const body = raw.trim() ? parseJson(raw) : {};
      return this.store.transact((tx) => ({ status: 200, body: seedBulk(tx, body) }));
    }
    if (path === '/tokens/revoke' && method === 'POST') {
      this.tokens.revokeAll();
      return { status: 200, body: { revoked: true } };
    }
    throw notFound(`${method} /__sandbox${path} is not an admin console route`);
  }
}

/** A stable stand-in for a user ID that must not be stored. */
function pseudonym(userId: string): string {
  return `api-client-${createHash('sha256').update(userId.toLowerCase()).digest('hex').slice(0, 10)}`;
}

/** Forget idempotency keys older than a day, now and then (each write costs O(1) on average). */
function pruneIdempotency(tx: SimTx): void {
  const t = tx.table('idempotency');
  if (t.size < 10_000 || t.size % 1000 !== 0) return;
  const cutoff = Date.now() - IDEMPOTENCY_TTL_MS;
  for (const r of [...t.values()]) if (r.at < cutoff) tx.del('idempotency', r.key);
}
