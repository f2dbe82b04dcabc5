import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  faultSwitchOf,
  type JsonReply,
  listenOptions,
  readSandboxBody,
  type SimulatorBase,
  type SimulatorBaseOptions,
  sendJsonReply,
  startHttpServer,
} from '@roster/sim-kit';
import { matches, parseFilter } from './filter.js';
import { applyPatch } from './patch.js';
import { RESOURCE_TYPES, resourceRules, SCHEMA_OF, schemaDocuments } from './schemas.js';
import { invalidValue, SimScimError } from './scim-error.js';
import { type Row, type ScimData, ScimStore } from './store.js';

/** Where the SCIM endpoints are, under the simulator's origin. */
export const SCIM_BASE = '/scim/v2';
/** The most resources one page holds, whatever `count` asks (advertised as `filter.maxResults`). */
export const MAX_PAGE = 50;

export interface SimulatorOptions extends SimulatorBaseOptions {
  /** The credentials it accepts: a bearer token, or basic username and password. */
  credentials: { token: string } | { username: string; password: string };
  /** Core User attributes served as RFC 7643 `immutable` (default none). */
  immutable?: readonly string[];
  /** Offer PATCH (default true); without it PATCH answers 501, as RFC 7644 §3.12 says. */
  patch?: boolean;
}

export interface Simulator extends SimulatorBase {
  /** The SCIM base URL, e.g. `http://127.0.0.1:43123/scim/v2`. */
  url: string;
  /** The sim-kit server's console secret (the SCIM sandbox has no console: `roster sandbox serve` prints it all the same). */
  consoleToken: string;
}

type Kind = 'Users' | 'Groups';
const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Start the SCIM 2.0 simulator (RFC 7643/7644): discovery, Users and Groups with filters, paging,
 * PATCH (atomic, path filters, the `members` idioms), PUT, ETags with `If-Match`/`If-None-Match`,
 * and SCIM error bodies. Bulk is not offered (advertised as unsupported).
 */
export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const store = new ScimStore(opts.dir);
  const faults = faultSwitchOf(opts);
  const app = new ScimApp(store, opts.credentials, opts.immutable ?? [], opts.patch ?? true);
  const server = await startHttpServer({
    ...listenOptions(opts),
    handle: async (req, res) => {
      const { fault, retryAfterSeconds } = await faults.strike();
      if (fault.kind === 'drop' && fault.when === 'before') return void req.socket.destroy();
      if (fault.kind === 'throttle' || fault.kind === 'error') {
        const status = fault.kind === 'throttle' ? 429 : fault.status;
        return send(res, {
          status,
          headers: status === 500 ? {} : { 'retry-after': String(retryAfterSeconds) },
          body: new SimScimError(status, undefined, 'simulated fault').body(),
        });
      }
      const reply = await app.handle(req);
      if (fault.kind === 'drop') return void req.socket.destroy();
      send(res, reply);
    },
    failureReply: (err) => replyOf(err),
    onClose: async () => {},
  });
  return { url: `${server.url}${SCIM_BASE}`, consoleToken: server.consoleToken, faults, close: server.close };
}

function send(res: ServerResponse, reply: JsonReply): void {
  sendJsonReply(res, {
    ...reply,
    headers: { 'content-type': 'application/scim+json', ...(reply.headers ?? {}) },
  });
}

function replyOf(err: unknown): JsonReply {
  const e = err instanceof SimScimError ? err : new SimScimError(500, undefined, 'internal error');
  return { status: e.status, body: e.body() };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const etagOf = (row: Row) => String(row.meta.version);

class ScimApp {
  readonly rules: ReturnType<typeof resourceRules>;
  constructor(
    readonly store: ScimStore,
    readonly credentials: SimulatorOptions['credentials'],
    readonly immutable: readonly string[],
    readonly patch: boolean,
  ) {
    this.rules = resourceRules(immutable);
  }

  async handle(req: IncomingMessage): Promise<JsonReply> {
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      if (!url.pathname.startsWith(`${SCIM_BASE}/`))
        throw new SimScimError(404, undefined, `${url.pathname} is not a SCIM path`);
      this.#authenticate(req);
      const origin = `http://${req.headers.host ?? 'localhost'}${SCIM_BASE}`;
      const parts = url.pathname
        .slice(SCIM_BASE.length + 1)
        .split('/')
        .map(decodeURIComponent);
      const method = (req.method ?? 'GET').toUpperCase();
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? await readJson(req) : undefined;
      return await this.#route(method, parts, url.searchParams, body, req, origin);
    } catch (err) {
      return replyOf(err);
    }
  }

  #authenticate(req: IncomingMessage): void {
    const given = req.headers.authorization ?? '';
    const c = this.credentials;
    const expected =
      'token' in c
        ? `Bearer ${c.token}`
        : `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
    if (!safeEqual(given, expected)) throw new SimScimError(401, undefined, 'Authentication failed');
  }

  async #route(
    method: string,
    parts: string[],
    query: URLSearchParams,
    body: unknown,
    req: IncomingMessage,
    origin: string,
  ): Promise<JsonReply> {
    const [head, id, extra] = parts;
    if (extra !== undefined) throw new SimScimError(404, undefined, 'no such path');
    if (head === 'ServiceProviderConfig' && method === 'GET' && id === undefined)
      return ok(serviceProviderConfig(this.patch));
    if (head === 'ResourceTypes' && method === 'GET') return ok(listOrOne(RESOURCE_TYPES, id));
    if (head === 'Schemas' && method === 'GET') return ok(listOrOne(schemaDocuments(this.immutable), id));
    if (head !== 'Users' && head !== 'Groups')
      throw new SimScimError(404, undefined, `/${parts.join('/')} is not a SCIM endpoint`);
    const kind: Kind = head;
    const ifMatch = req.headers['if-match'];
    if (id === undefined) {
      if (method === 'GET') return this.store.read((d) => this.#list(d, kind, query, origin));
      if (method === 'POST') return this.store.update((d) => this.#create(d, kind, body, origin));
      throw new SimScimError(405, undefined, `${method} is not allowed on /${kind}`);
    }
    if (method === 'GET') {
      return this.store.read((d) => {
        const row = found(d, kind, id);
        if (req.headers['if-none-match'] === etagOf(row)) return { status: 304 };
        return this.#one(d, kind, row, origin, 200);
      });
    }
    return this.store.update((d) => {
      const row = found(d, kind, id);
      if (typeof ifMatch === 'string' && ifMatch !== '*' && ifMatch !== etagOf(row))
        throw new SimScimError(412, undefined, `${kind}/${id} changed since version ${ifMatch}`);
      if (method === 'DELETE') {
        delete d[kind][id];
        for (const g of Object.values(d.Groups))
          if (Array.isArray(g.members)) g.members = g.members.filter((m) => !(isObject(m) && m.value === id));
        return { status: 204 };
      }
      if (method === 'PATCH')
        return this.#save(d, kind, row, applyPatch(row, body, this.rules[kind]) as Row, origin);
      if (method === 'PUT') return this.#save(d, kind, row, this.#replaced(kind, row, body), origin);
      throw new SimScimError(405, undefined, `${method} is not allowed on /${kind}/{id}`);
    });
  }

  #list(d: ScimData, kind: Kind, query: URLSearchParams, origin: string): JsonReply {
    const filterText = query.get('filter');
    const filter = filterText !== null && filterText.trim() !== '' ? parseFilter(filterText) : undefined;
    const all = Object.values(d[kind])
      .map((r) => this.#output(d, kind, r, origin))
      .filter((r) => filter === undefined || matches(r, filter));
    // RFC 7644 §3.4.2.4: startIndex below 1 is 1; a negative count is 0; the server caps the page.
    const start = Math.max(1, Number.parseInt(query.get('startIndex') ?? '1', 10) || 1);
    const asked = query.get('count');
    const count = Math.min(
      MAX_PAGE,
      Math.max(0, asked === null ? MAX_PAGE : Number.parseInt(asked, 10) || 0),
    );
    const page = all.slice(start - 1, start - 1 + count);
    return ok({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: all.length,
      startIndex: start,
      itemsPerPage: page.length,
      ...(page.length > 0 ? { Resources: page } : {}),
    });
  }

  #create(d: ScimData, kind: Kind, body: unknown, origin: string): JsonReply {
    const input = this.#input(kind, body);
    const now = new Date().toISOString();
    const id = randomUUID();
    const row: Row = {
      ...input,
      id,
      meta: { resourceType: kind.slice(0, -1), created: now, lastModified: now, version: 'W/"1"' },
    };
    this.#check(d, kind, row);
    d[kind][id] = row;
    return this.#one(d, kind, row, origin, 201);
  }

  /** PUT (RFC 7644 §3.5.1): readWrite attributes as given, omitted ones cleared; immutable ones must not differ. */
  #replaced(kind: Kind, row: Row, body: unknown): Row {
    const input = this.#input(kind, body);
    for (const name of this.rules[kind].immutable) {
      const before = Object.entries(row).find(([k]) => k.toLowerCase() === name)?.[1];
      const after = Object.entries(input).find(([k]) => k.toLowerCase() === name)?.[1];
      if (before !== undefined && JSON.stringify(before) !== JSON.stringify(after))
        throw new SimScimError(400, 'mutability', `${name} is immutable`);
    }
    return { ...input, id: row.id, meta: row.meta };
  }

  #save(d: ScimData, kind: Kind, prior: Row, next: Row, origin: string): JsonReply {
    this.#check(d, kind, next);
    const strip = (r: Row) => JSON.stringify({ ...r, meta: undefined });
    // A change that changes nothing leaves lastModified and the version as they were (RFC 7644 §3.5.2).
    if (strip(prior) !== strip(next)) {
      const n = Number(/\d+/.exec(String(prior.meta.version))?.[0] ?? 0) + 1;
      next.meta = { ...prior.meta, lastModified: new Date().toISOString(), version: `W/"${n}"` };
    }
    d[kind][prior.id] = next;
    return this.#one(d, kind, next, origin, 200);
  }

  /** What a client sent, without what it may not set (RFC 7643 §3.1: `id`, `meta`; User `groups`). */
  #input(kind: Kind, body: unknown): Record<string, unknown> {
    if (!isObject(body)) throw invalidValue('the body is not a JSON object');
    const schemas = body.schemas;
    if (!Array.isArray(schemas) || !schemas.includes(SCHEMA_OF[kind]))
      throw new SimScimError(400, 'invalidSyntax', `schemas must list ${SCHEMA_OF[kind]}`);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body))
      if (!this.rules[kind].readOnly.has(k.toLowerCase()) && v !== null) out[k] = v;
    return out;
  }

  /** Required attributes, and `userName` unique regardless of case (RFC 7643 §4.1). */
  #check(d: ScimData, kind: Kind, row: Row): void {
    const key = kind === 'Users' ? 'userName' : 'displayName';
    const value = row[key];
    if (typeof value !== 'string' || value.trim() === '') throw invalidValue(`${key} is required`);
    if (kind !== 'Users') return;
    for (const other of Object.values(d.Users))
      if (other.id !== row.id && String(other.userName).toLowerCase() === value.toLowerCase())
        throw new SimScimError(409, 'uniqueness', `userName ${value} is already in use`);
  }

  #one(d: ScimData, kind: Kind, row: Row, origin: string, status: number): JsonReply {
    const out = this.#output(d, kind, row, origin);
    return {
      status,
      headers: {
        etag: etagOf(row),
        ...(status === 201 ? { location: String((out.meta as Row['meta']).location) } : {}),
      },
      body: out,
    };
  }

  /** A row as served: absolute `meta.location`, and a user's `groups` from group membership. */
  #output(d: ScimData, kind: Kind, row: Row, origin: string): Row {
    const out: Row = { ...row, meta: { ...row.meta, location: `${origin}/${kind}/${row.id}` } };
    if (kind === 'Users') {
      const groups = Object.values(d.Groups)
        .filter((g) => Array.isArray(g.members) && g.members.some((m) => isObject(m) && m.value === row.id))
        .map((g) => ({
          value: g.id,
          display: g.displayName,
          $ref: `${origin}/Groups/${g.id}`,
          type: 'direct',
        }));
      if (groups.length > 0) out.groups = groups;
    }
    return out;
  }
}

function found(d: ScimData, kind: Kind, id: string): Row {
  const row = d[kind][id];
  if (!row) throw new SimScimError(404, undefined, `Resource ${id} not found`);
  return row;
}

const ok = (body: unknown): JsonReply => ({ status: 200, body });

function listOrOne(items: Array<Record<string, unknown>>, id: string | undefined): unknown {
  if (id !== undefined) {
    const hit = items.find((i) => i.id === id);
    if (!hit) throw new SimScimError(404, undefined, `${id} not found`);
    return hit;
  }
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: items.length,
    startIndex: 1,
    itemsPerPage: items.length,
    Resources: items,
  };
}

function serviceProviderConfig(patch: boolean): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: patch },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      { type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Authorization: Bearer <token>' },
      { type: 'httpbasic', name: 'HTTP Basic', description: 'Authorization: Basic' },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: '/ServiceProviderConfig' },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readSandboxBody(
    req,
    () => new SimScimError(413, undefined, 'The request body is too large'),
  );
  try {
    return JSON.parse(text);
  } catch {
    throw new SimScimError(400, 'invalidSyntax', 'The request body is not valid JSON');
  }
}
