import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type FaultSwitch,
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
import { authenticate, type Caller, knownUser, type SimCredentials } from './auth.js';
import { consoleRoute } from './console.js';
import { errorBody, methodNotAllowed, notFound, refused, SimError } from './errors.js';
import { matching, page, parsePaging, parseQuery, RESOURCE_ENTITY } from './query.js';
import { fieldsInformation, type ResourcePicklists, wireResource, writeResource } from './resources.js';
import { seedDatabase } from './seed.js';
import { SimStore } from './store.js';
import { DEFAULT_HOURLY_THRESHOLD, RequestThreshold, ThreadLimiter } from './threshold.js';
import { checkTicketAccess, TICKET_ENTITY } from './tickets.js';

export interface SimulatorOptions extends SimulatorBaseOptions {
  /** Directory to persist the database in (`<dir>/autotask.json` + `.journal`); undefined keeps it in memory. */
  dir?: string;
  /** When set, only this API user (plus the database's own API users) may call; otherwise any. */
  credentials?: SimCredentials;
  /** Requests per rolling hour (default 10,000, Autotask's). */
  hourlyThreshold?: number;
  /** Requests in flight per integration code and entity (default 3). */
  threadLimit?: number;
  /** Domain of generated API usernames (default `roster-sandbox.local`). */
  domain?: string;
  /**
   * Labels of the Resources picklists (`licenseType`, `userType`) where this database's differ from
   * the sandbox's ("API User"): a database in another language, or one that names no API user.
   */
  picklists?: ResourcePicklists;
  /**
   * Where clients reach the simulator when that is not where it listens (behind a proxy that
   * passes the simulator's own Host on, e.g. the recording proxy of the wire contract test): the
   * zone lookup and next-page URLs point there. Asked per request; undefined: the Host it was called on.
   */
  publicUrl?: () => string | undefined;
}

/** A running simulator. */
export interface Simulator extends SimulatorBase {
  /** Base URL, e.g. `http://127.0.0.1:43123` (API under `/ATServicesRest/V1.0`, console under `/__sandbox`). */
  url: string;
  store: SimStore;
  threshold: RequestThreshold;
}

/**
 * Start the Autotask PSA simulator: the REST paths under `/ATServicesRest/V1.0` for Resources
 * (query and update only, as Autotask allows), the zone lookup, version and threshold information,
 * the hourly threshold and thread limit, fault switches, and an admin console under `/__sandbox/`
 * that stands in for the Autotask UI.
 */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const store = await SimStore.open({
    ...storeOptions(opts),
    init: seedDatabase,
  });
  const faults = faultSwitchOf(opts);
  const threshold = new RequestThreshold(opts.hourlyThreshold ?? DEFAULT_HOURLY_THRESHOLD);
  const app = new SimulatorApp(
    store,
    faults,
    threshold,
    new ThreadLimiter(opts.threadLimit ?? 3),
    opts.credentials,
    opts.domain ?? 'roster-sandbox.local',
    opts.picklists ?? {},
    opts.publicUrl ?? (() => undefined),
  );
  const server = await startHttpServer({
    ...listenOptions(opts),
    handle: (req, res) => app.handle(req, res),
    failureReply: errorReply,
    onClose: () => store.close(),
  });
  return {
    url: server.url,
    consoleToken: server.consoleToken,
    store,
    faults,
    threshold,
    close: server.close,
  };
}

const readBody = (req: IncomingMessage): Promise<string> =>
  readSandboxBody(req, () => new SimError(413, 'The request body is too large.'));

function parseJson(text: string): unknown {
  if (text.trim() === '') throw refused('The request body is empty.');
  try {
    return JSON.parse(text);
  } catch {
    throw refused('The request body is not valid JSON.');
  }
}

function errorReply(err: unknown): JsonReply {
  if (err instanceof SimError) return { status: err.status, body: errorBody(err), headers: err.headers };
  // An unhandled failure: ASP.NET's generic answer, without Autotask's `errors` list.
  return {
    status: 500,
    body: { Message: `An error has occurred. (${(err as Error)?.message ?? String(err)})` },
  };
}

class SimulatorApp {
  constructor(
    readonly store: SimStore,
    readonly faults: FaultSwitch,
    readonly threshold: RequestThreshold,
    readonly threads: ThreadLimiter,
    readonly credentials: SimCredentials | undefined,
    readonly domain: string,
    readonly picklists: ResourcePicklists,
    readonly publicUrl: () => string | undefined,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/__sandbox/')) {
      let reply: JsonReply;
      try {
        reply = await consoleRoute(
          { store: this.store, faults: this.faults, threshold: this.threshold, domain: this.domain },
          method,
          url.pathname.slice('/__sandbox'.length),
          await readBody(req),
        );
      } catch (err) {
        reply = errorReply(err);
      }
      sendJsonReply(res, reply);
      return;
    }
    // IIS paths are case-insensitive: /atservicesrest/v1.0/resources works as well.
    const m = /^\/ATServicesRest(\/.*)?$/i.exec(url.pathname);
    if (!m) {
      sendJsonReply(res, {
        status: 404,
        body: { errors: [`${url.pathname} is not an Autotask REST path (try /ATServicesRest/V1.0/…)`] },
      });
      return;
    }
    const rest = m[1] ?? '/';
    // Where this simulator is reached, as the client sees it: zone and paging URLs point back here.
    const origin = this.publicUrl()?.replace(/\/+$/, '') ?? `http://${req.headers.host ?? 'localhost'}`;
    let reply: JsonReply | 'dropped';
    try {
      reply = await this.rest(req, method, rest, url, origin);
    } catch (err) {
      reply = errorReply(err);
    }
    if (reply === 'dropped') return;
    sendJsonReply(res, reply);
  }

  async rest(
    req: IncomingMessage,
    method: string,
    rest: string,
    url: URL,
    origin: string,
  ): Promise<JsonReply | 'dropped'> {
    if (/^\/versioninformation\/?$/i.test(rest)) {
      if (method !== 'GET') throw methodNotAllowed(method);
      return { status: 200, body: { apiVersions: ['1.0'] } };
    }
    const v = /^\/V1\.0(\/.*)?$/i.exec(rest);
    if (!v) throw notFound(`${rest} is not a path of this API version (V1.0)`);
    const path = (v[1] ?? '/').replace(/\/+$/, '') || '/';
    const entity = path.split('/')[1] ?? '';

    if (/^zoneinformation$/i.test(entity) && path.split('/').length === 2) {
      // The zone lookup needs no credentials (it tells the client where to send them).
      return this.withFaults(req, () => this.zone(method, url, origin));
    }
    const caller = await this.store.read((db) => authenticate(req, db, this.credentials));
    const taken = this.threshold.take();
    if (!taken.ok) {
      const t = this.threshold.get();
      throw new SimError(
        429,
        `The API request threshold of ${t.limit} requests per hour has been exceeded for this database; try again in ${taken.retryAfterSeconds} seconds.`,
        { headers: { 'retry-after': String(taken.retryAfterSeconds) } },
      );
    }
    const threadKey = `${caller.integrationCode}\u0000${entity.toLowerCase()}`;
    if (!this.threads.enter(threadKey)) {
      throw new SimError(
        429,
        `Thread Threshold Exceeded: the Autotask API thread threshold of ${this.threads.limit} threads has been exceeded for this integration and endpoint.`,
        { headers: { 'retry-after': '1' } },
      );
    }
    try {
      return await this.withFaults(req, async () => {
        const raw = await readBody(req);
        if (/^thresholdinformation$/i.test(entity) && path.split('/').length === 2) {
          if (method !== 'GET') throw methodNotAllowed(method);
          const t = this.threshold.get();
          return {
            status: 200,
            body: {
              externalRequestThreshold: t.limit,
              requestThresholdTimeframe: 60,
              currentTimeframeRequestCount: t.used,
            },
          };
        }
        if (/^resources$/i.test(entity))
          return this.resources(method, path.split('/').slice(2), url, raw, origin);
        if (/^tickets$/i.test(entity))
          return this.tickets(method, path.split('/').slice(2), url, raw, caller);
        throw notFound(
          `${entity || '(no entity)'} is not an entity this sandbox serves (it serves Resources and Tickets)`,
        );
      });
    } finally {
      this.threads.leave(threadKey);
    }
  }

  /** Latency, then throttling, errors or a dropped connection as the fault switches decide. */
  async withFaults(req: IncomingMessage, fn: () => Promise<JsonReply>): Promise<JsonReply | 'dropped'> {
    const { fault, retryAfterSeconds } = await this.faults.strike();
    if (fault.kind === 'drop' && fault.when === 'before') {
      req.socket.destroy();
      return 'dropped';
    }
    if (fault.kind === 'throttle') {
      return {
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds) },
        body: { errors: ['API thread threshold of 3 threads has been exceeded (simulated throttling).'] },
      };
    }
    if (fault.kind === 'error') {
      return fault.status === 503
        ? {
            status: 503,
            headers: { 'retry-after': String(retryAfterSeconds) },
            body: { Message: 'The service is unavailable.' },
          }
        : { status: 500, body: { Message: 'An error has occurred. (simulated)' } };
    }
    let reply: JsonReply;
    try {
      reply = await fn();
    } catch (err) {
      reply = errorReply(err);
    }
    if (fault.kind === 'drop') {
      // The change is made, but the client never hears about it.
      req.socket.destroy();
      return 'dropped';
    }
    return reply;
  }

  async zone(method: string, url: URL, origin: string): Promise<JsonReply> {
    if (method !== 'GET') throw methodNotAllowed(method);
    const user = url.searchParams.get('user') ?? '';
    if (user.trim() === '') throw new SimError(400, 'The user query parameter is required.');
    const known = await this.store.read((db) => knownUser(db, user, this.credentials));
    // Autotask's words for an unknown user (https://github.com/KelvinTegelaar/AutotaskAPI/issues/17);
    // the status is unconfirmed: 500, as its other refusals (contract/autotask.wire-contract.json).
    if (!known) throw refused('Zone information could not be determined');
    return {
      status: 200,
      body: { zoneName: 'roster sandbox', url: `${origin}/ATServicesRest/`, webUrl: `${origin}/`, ci: 0 },
    };
  }

  async resources(method: string, seg: string[], url: URL, raw: string, origin: string): Promise<JsonReply> {
    const [a, b] = seg;
    if (seg.length === 0) {
      // Autotask offers no create and no delete of resources, and no listing of the collection.
      if (method === 'PATCH' || method === 'PUT')
        return this.write(raw, method === 'PATCH' ? 'patch' : 'put');
      throw methodNotAllowed(method);
    }
    if (a && /^query$/i.test(a)) {
      if (method !== 'GET' && method !== 'POST') throw methodNotAllowed(method);
      if (seg.length === 1) return this.query(method, url, raw, origin, undefined);
      if (seg.length === 2 && b && /^count$/i.test(b)) {
        const q = parseQuery(method === 'GET' ? parseSearch(url) : parseJson(raw), RESOURCE_ENTITY);
        const n = await this.store.read((db) => matching(db.table('resource').values(), q).length);
        return { status: 200, body: { queryCount: n } };
      }
      if (seg.length === 2 && b && /^next$/i.test(b)) {
        // A POSTed query's next page has no search in its URL: it must be POSTed with the query again.
        if (method === 'GET' && !url.searchParams.has('search')) throw methodNotAllowed(method);
        return this.query(method, url, raw, origin, parsePaging(url.searchParams.get('paging')));
      }
    }
    if (a && /^entityinformation$/i.test(a) && method === 'GET') {
      if (seg.length === 1) {
        return {
          status: 200,
          body: {
            info: {
              name: 'Resource',
              canCreate: false,
              canDelete: false,
              canQuery: true,
              canUpdate: true,
              userAccessForCreate: 0,
              userAccessForDelete: 0,
              userAccessForQuery: 1,
              userAccessForUpdate: 1,
              hasUserDefinedFields: false,
              supportsWebhookCallouts: true,
            },
          },
        };
      }
      if (seg.length === 2 && b && /^fields$/i.test(b))
        return { status: 200, body: fieldsInformation(this.picklists) };
    }
    if (a && /^\d+$/.test(a) && seg.length === 1) {
      if (method !== 'GET') throw methodNotAllowed(method);
      const item = await this.store.read((db) => {
        const rec = db.table('resource').get(String(Number(a)));
        return rec ? wireResource(rec) : null;
      });
      return { status: 200, body: { item } };
    }
    throw notFound(`Resources/${seg.join('/')} is not a path this sandbox serves`);
  }

  /**
   * Tickets: query, count and read by id, for callers whose security level allows viewing tickets.
   * The sandbox holds no tickets, so every answer is empty; the permission check is what counts.
   */
  async tickets(method: string, seg: string[], url: URL, raw: string, caller: Caller): Promise<JsonReply> {
    const [a, b] = seg;
    const isQuery = a !== undefined && /^query$/i.test(a);
    const isCount = isQuery && seg.length === 2 && b !== undefined && /^count$/i.test(b);
    const isRead = a !== undefined && /^\d+$/.test(a) && seg.length === 1;
    if (!(isQuery && seg.length === 1) && !isCount && !isRead) {
      if (seg.length === 0) throw methodNotAllowed(method);
      throw notFound(`Tickets/${seg.join('/')} is not a path this sandbox serves`);
    }
    if (isRead ? method !== 'GET' : method !== 'GET' && method !== 'POST') throw methodNotAllowed(method);
    await this.store.read((db) => checkTicketAccess(db, caller));
    if (isRead) return { status: 200, body: { item: null } };
    const q = parseQuery(method === 'GET' ? parseSearch(url) : parseJson(raw), TICKET_ENTITY);
    if (isCount) return { status: 200, body: { queryCount: 0 } };
    return {
      status: 200,
      body: {
        items: [],
        pageDetails: { count: 0, requestCount: q.maxRecords, prevPageUrl: null, nextPageUrl: null },
      },
    };
  }

  async query(
    method: string,
    url: URL,
    raw: string,
    origin: string,
    paging: ReturnType<typeof parsePaging> | undefined,
  ): Promise<JsonReply> {
    const searchText = method === 'GET' ? (url.searchParams.get('search') ?? '') : undefined;
    const q = parseQuery(searchText !== undefined ? parseSearch(url) : parseJson(raw), RESOURCE_ENTITY);
    const pageSize = paging?.pageSize ?? q.maxRecords;
    const startId = paging?.nextIds[0];
    const p = await this.store.read((db) =>
      page(matching(db.table('resource').values(), q), q, pageSize, startId),
    );
    const base = `${origin}/ATServicesRest/V1.0/Resources/query/next`;
    const link = (previousIds: number[], nextIds: number[]) =>
      `${base}?paging=${encodeURIComponent(JSON.stringify({ pageSize, previousIds, nextIds }))}${
        searchText !== undefined ? `&search=${encodeURIComponent(searchText)}` : ''
      }`;
    return {
      status: 200,
      body: {
        items: p.items.map((r) => wireResource(r, q.includeFields)),
        pageDetails: {
          count: p.items.length,
          requestCount: pageSize,
          prevPageUrl: paging ? link([-1], paging.previousIds) : null,
          nextPageUrl: p.nextId !== undefined ? link([p.firstId ?? -1], [p.nextId]) : null,
        },
      },
    };
  }

  async write(raw: string, mode: 'patch' | 'put'): Promise<JsonReply> {
    const body = parseJson(raw);
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw refused('The body must be a Resource object.');
    const id = Object.entries(body).find(([k]) => k.toLowerCase() === 'id')?.[1];
    if (typeof id !== 'number' || !Number.isInteger(id))
      throw refused('id is required to update a Resource.');
    const itemId = await this.store.transact((tx) => {
      const rec = tx.table('resource').get(String(id));
      if (!rec) throw notFound(`Resource ${id} was not found.`);
      tx.put('resource', writeResource(rec, body as Record<string, unknown>, mode));
      return rec.id;
    });
    return { status: 200, body: { itemId } };
  }
}

function parseSearch(url: URL): unknown {
  const s = url.searchParams.get('search');
  if (!s) throw refused('The search query parameter is required.');
  try {
    return JSON.parse(s);
  } catch {
    throw refused('The search query parameter is not valid JSON.');
  }
}
