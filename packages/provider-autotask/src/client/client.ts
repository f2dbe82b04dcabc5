import { createHash } from 'node:crypto';
import { isLoopback, type Logger } from '@roster/core';
import {
  HttpClient,
  HttpNetworkError,
  retryAfterMs as httpRetryAfterMs,
  type RetryOptions,
  retryOptionsOf,
} from '@roster/http';
import { restRoot, ZONE_LOOKUP_URL } from '../config.js';
import { AutotaskApiError, AutotaskNetworkError, isRefusal, parseErrorBody } from './errors.js';
import { HourlyBudget, type ThresholdInfo } from './hourly-budget.js';

export type { ThresholdInfo } from './hourly-budget.js';

/** A credential value: a core `Secret` (revealed only when sent) or a plain string. */
export type SecretLike = string | { reveal(): string };

/** The three values every Autotask REST call carries as headers. */
export interface AutotaskCredentials {
  /** `UserName`: the API user's username (key). */
  username: SecretLike;
  /** `Secret`: its password (secret). */
  secret: SecretLike;
  /** `ApiIntegrationCode`: the tracking identifier of the integration. */
  integrationCode: SecretLike;
}

/**
 * Retries and timeouts are `RetryOptions` (`@roster/http`); defaults here: 6 attempts, 500 ms first
 * back-off, a 60 s longest wait (a `Retry-After` asking for longer is reported at once), 60 s per
 * request.
 */
export interface AutotaskClientOptions extends RetryOptions {
  /**
   * REST root of the zone, e.g. `https://webservices2.autotask.net/ATServicesRest` (the client adds
   * `/V1.0`). When absent the zone is looked up from the username at `zoneLookupUrl`.
   */
  restRoot?: string;
  /** Where the zone lookup is asked (default `https://webservices.autotask.net/ATServicesRest`). */
  zoneLookupUrl?: string;
  credentials: AutotaskCredentials;
  /** `MaxRecords` per query page (default and maximum 500). */
  pageSize?: number;
  /** Requests in flight per entity endpoint (default 3, Autotask's thread limit per integration). */
  threadLimit?: number;
  /**
   * Share (0–1] of the requests left in the database's hourly threshold that roster may use
   * (default 0.5); past it the client stops with `AutotaskBudgetError` (see `HourlyBudget`).
   */
  apiBudget?: number;
  /** When the budget is spent, wait for the window to free roster's requests if within this (default 0: never wait). */
  budgetWaitMs?: number;
  /** Read `ThresholdInformation` before the first request and then every this many (default 250; 0: never). */
  thresholdCheckEvery?: number;
  /** Pause before each request once the database is past half its threshold (default 500 ms). */
  paceMs?: number;
  now?: () => number;
  log?: Logger;
}

/** Client settings a caller may tune (tests: small pages, instant back-off). */
export type ClientTuning = Partial<
  Omit<AutotaskClientOptions, 'restRoot' | 'zoneLookupUrl' | 'credentials' | 'log' | 'apiBudget'>
>;

/** One query condition, as Autotask's REST query takes it. */
export type FilterCondition =
  | { op: 'and' | 'or'; items: FilterCondition[] }
  | {
      op: 'eq' | 'noteq' | 'gt' | 'gte' | 'lt' | 'lte' | 'beginsWith' | 'endsWith' | 'contains';
      field: string;
      value: string | number | boolean;
      udf?: boolean;
    }
  | { op: 'exist' | 'notExist'; field: string; udf?: boolean }
  | { op: 'in' | 'notIn'; field: string; value: Array<string | number>; udf?: boolean };

/** A query without paging (the client pages). */
export interface QueryRequest {
  filter: FilterCondition[];
  /** Fields to return; `id` is always added (Autotask needs it to page past 500 rows). */
  includeFields?: string[];
}

/** One field of `GET /V1.0/{Entity}/entityInformation/fields`. */
export interface FieldInfo {
  name: string;
  dataType?: string;
  isReadOnly?: boolean;
  isPickList?: boolean;
  picklistValues?: Array<{ value: string | number; label: string; isActive?: boolean }>;
}

export type Row = Record<string, unknown>;

interface Reply {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
}

interface RequestOptions {
  body?: unknown;
  /** Describes the request in errors, e.g. `update resource 42`. */
  what: string;
  /** Statuses that are an answer, not an error (e.g. 404 for a lookup). */
  accept?: readonly number[];
  /**
   * The zone lookup: sent without the credential headers, and the one request that follows a
   * redirect (never to plain http: `@roster/http`); every other request refuses redirects.
   */
  noAuth?: boolean;
  /** Skip the threshold check (the check itself). */
  noBudget?: boolean;
}

const MAX_PAGES = 100_000;
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const reveal = (v: SecretLike) => (typeof v === 'string' ? v : v.reveal());

/**
 * Zone roots already looked up in this process, by lookup host and a hash of the username (the
 * username itself is a credential and is not kept as a key).
 */
const zoneCache = new Map<string, string>();

/** How long `Retry-After` asks to wait, in ms (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  return httpRetryAfterMs(headers, ['retry-after'], now);
}

/**
 * An Autotask PSA REST client: zone lookup, the three credential headers, query paging through
 * `pageDetails.nextPageUrl`, PATCH updates, the hourly request threshold, retries, and counters
 * for the plan's stats.
 *
 * Every request it makes is safe to repeat (queries, reads, PATCH of values; Autotask offers no
 * create or delete of resources), so the shared HTTP layer (`@roster/http`) retries all of them on
 * 429, 503, 502, 504, network failures, and on a 500 without Autotask's `errors` list (a crash, not
 * a refusal: Autotask reports refused writes as 500 with `errors`, and those are not retried).
 * Waits follow `Retry-After` when sent, else an exponential back-off with full jitter; a wait
 * longer than `maxDelayMs` (the hourly threshold) is reported at once. At most `threadLimit`
 * requests are in flight per entity endpoint, and `HourlyBudget` keeps roster to its share of the
 * hourly threshold.
 */
export class AutotaskClient {
  readonly #o: Required<Omit<AutotaskClientOptions, 'restRoot' | 'log'>> &
    Pick<AutotaskClientOptions, 'restRoot' | 'log'>;
  #root: string | undefined;
  #rootPending: Promise<string> | undefined;
  readonly #http: HttpClient;
  readonly #budget: HourlyBudget;

  constructor(opts: AutotaskClientOptions) {
    this.#o = {
      zoneLookupUrl: ZONE_LOOKUP_URL,
      pageSize: 500,
      maxAttempts: 6,
      baseDelayMs: 500,
      maxDelayMs: 60_000,
      timeoutMs: 60_000,
      threadLimit: 3,
      apiBudget: 0.5,
      budgetWaitMs: 0,
      thresholdCheckEvery: 250,
      paceMs: 500,
      sleep: defaultSleep,
      random: Math.random,
      fetch: globalThis.fetch,
      now: Date.now,
      ...opts,
    };
    if (!Number.isInteger(this.#o.pageSize) || this.#o.pageSize < 1 || this.#o.pageSize > 500)
      throw new Error('pageSize (MaxRecords) must be between 1 and 500');
    this.#http = new HttpClient({
      system: 'Autotask',
      ...retryOptionsOf(this.#o),
      // Autotask's thread limit is per (integration, entity endpoint): three per entity, and a
      // few entities at once at most.
      keyConcurrency: this.#o.threadLimit,
      concurrency: this.#o.threadLimit * 3,
      now: this.#o.now,
      onRetry: (e) =>
        this.#o.log?.debug(`autotask: ${e.what}: ${e.reason}; retrying in ${Math.round(e.waitMs)} ms`),
    });
    this.#budget = new HourlyBudget({
      share: this.#o.apiBudget,
      checkEvery: this.#o.thresholdCheckEvery,
      maxWaitMs: this.#o.budgetWaitMs,
      paceMs: this.#o.paceMs,
      read: () => this.threshold(),
      sleep: this.#o.sleep,
      now: this.#o.now,
      ...(this.#o.log ? { log: this.#o.log } : {}),
    });
  }

  /**
   * A client for the same zone signing in as another API user (`roster test`): same options,
   * the integration code kept unless given, one retry at most, and no threshold reads (a test
   * makes two requests; its own reads of `ThresholdInformation` would double them).
   */
  async signedInAs(credentials: Partial<AutotaskCredentials>): Promise<AutotaskClient> {
    const restRoot = await this.apiRoot();
    return new AutotaskClient({
      ...this.#o,
      restRoot,
      maxAttempts: 2,
      thresholdCheckEvery: 0,
      credentials: { ...this.#o.credentials, ...credentials },
    });
  }

  /** Requests sent (zone lookup, threshold checks and retries included) and answers that were 429. */
  stats(): { apiCalls: number; throttled: number } {
    const s = this.#http.stats();
    return { apiCalls: s.apiCalls, throttled: s.throttled };
  }

  /** The zone's API root, e.g. `https://webservices2.autotask.net/ATServicesRest/V1.0`. */
  async apiRoot(): Promise<string> {
    if (this.#root) return this.#root;
    this.#rootPending ??= this.#zone().finally(() => {
      this.#rootPending = undefined;
    });
    this.#root = await this.#rootPending;
    return this.#root;
  }

  async #zone(): Promise<string> {
    if (this.#o.restRoot) return `${restRoot(this.#o.restRoot)}/V1.0`;
    const lookup = restRoot(this.#o.zoneLookupUrl);
    const username = reveal(this.#o.credentials.username);
    const key = `${lookup}\u0000${createHash('sha256').update(username.toLowerCase()).digest('hex')}`;
    const cached = zoneCache.get(key);
    if (cached) return cached;
    // The username rides in the query string: this URL is never logged or put in a message.
    const r = await this.#request(
      'GET',
      // The path as the vendor's swagger spells it (ZoneInformationApiIntegration: /V1.0/ZoneInformation).
      `${lookup}/V1.0/ZoneInformation?user=${encodeURIComponent(username)}`,
      {
        what: `look up the zone of the API user (at ${new URL(lookup).host})`,
        noAuth: true,
      },
    );
    const url = (r.json as { url?: unknown } | undefined)?.url;
    if (typeof url !== 'string' || url === '') {
      throw new Error(
        `Autotask's zone lookup at ${new URL(lookup).host} gave no zone for the provider's API username: is it the username (key) of an API user?`,
      );
    }
    // The credentials go wherever the zone says: only ever over HTTPS (or to a loopback sandbox
    // when the lookup itself was one).
    const zone = restRoot(url);
    if (!zone.startsWith('https://') && !(isLoopback(lookup) && isLoopback(zone))) {
      throw new Error(
        `Autotask's zone lookup answered a zone URL that is not https (${new URL(zone).origin})`,
      );
    }
    const root = `${zone}/V1.0`;
    zoneCache.set(key, root);
    this.#o.log?.debug(`autotask: zone ${new URL(root).host}`);
    return root;
  }

  /** Every row of a query: `MaxRecords` per page, following `pageDetails.nextPageUrl` until it is null. */
  async query(entity: string, q: QueryRequest): Promise<Row[]> {
    const root = await this.apiRoot();
    const body = queryBody(q, this.#o.pageSize);
    const what = `query ${entity}`;
    const seen = new Set<unknown>();
    const out: Row[] = [];
    let url = `${root}/${entity}/query`;
    let method = 'POST';
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) throw new Error(`${what}: more than ${MAX_PAGES} pages; stopped`);
      const r = await this.#request(method, url, { ...(method === 'POST' ? { body } : {}), what, entity });
      const json = r.json as { items?: unknown; pageDetails?: { nextPageUrl?: unknown } } | undefined;
      if (!Array.isArray(json?.items)) throw new Error(`${what}: Autotask's answer has no items list`);
      for (const item of json.items as Row[]) {
        // Rows shift between pages when records change meanwhile: keep each id once.
        const id = item?.id;
        if (id !== undefined && id !== null) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        out.push(item);
      }
      const next = json.pageDetails?.nextPageUrl;
      if (typeof next !== 'string' || next === '') return out;
      const nextUrl = new URL(next, root);
      // The next page carries the credentials too: never to another host than the zone.
      if (nextUrl.origin !== new URL(root).origin) {
        throw new Error(`${what}: Autotask gave a next page on another host (${nextUrl.origin}); stopped`);
      }
      if (nextUrl.href === url) throw new Error(`${what}: Autotask gave the same page again; stopped`);
      url = nextUrl.href;
      // A POSTed query's next page is POSTed again with the same body; one that carries the
      // search in its URL (a GET query) is read with GET.
      method = nextUrl.searchParams.has('search') ? 'GET' : 'POST';
    }
  }

  /**
   * The first page of a query only, at most `maxRecords` rows (1–500): `POST /V1.0/{entity}/query`
   * with `MaxRecords`, no paging. For checks that need one row, not all of them.
   */
  async queryPage(entity: string, q: QueryRequest, maxRecords: number): Promise<Row[]> {
    if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > 500)
      throw new Error('maxRecords (MaxRecords) must be between 1 and 500');
    const root = await this.apiRoot();
    const body = queryBody(q, maxRecords);
    const what = `query ${entity}`;
    const r = await this.#request('POST', `${root}/${entity}/query`, { body, what, entity });
    const items = (r.json as { items?: unknown } | undefined)?.items;
    if (!Array.isArray(items)) throw new Error(`${what}: Autotask's answer has no items list`);
    return items as Row[];
  }

  /** `GET /V1.0/{entity}/{id}`; undefined when there is none (`item: null`, or 404). */
  async get(entity: string, id: string | number): Promise<Row | undefined> {
    const root = await this.apiRoot();
    const r = await this.#request('GET', `${root}/${entity}/${encodeURIComponent(String(id))}`, {
      what: `read ${entity} ${id}`,
      entity,
      accept: [404],
    });
    if (r.status === 404) return undefined;
    const item = (r.json as { item?: unknown } | undefined)?.item;
    return item && typeof item === 'object' ? (item as Row) : undefined;
  }

  /** `PATCH /V1.0/{entity}` with the id in the body: only the fields sent change. Returns `itemId`. */
  async patch(entity: string, body: Row & { id: number | string }, what?: string): Promise<number> {
    const root = await this.apiRoot();
    const r = await this.#request('PATCH', `${root}/${entity}`, {
      body,
      what: what ?? `update ${entity} ${body.id}`,
      entity,
    });
    const itemId = (r.json as { itemId?: unknown } | undefined)?.itemId;
    return typeof itemId === 'number' ? itemId : Number(body.id);
  }

  /** `GET /V1.0/{entity}/entityInformation/fields`. */
  async fields(entity: string): Promise<FieldInfo[]> {
    const root = await this.apiRoot();
    const r = await this.#request('GET', `${root}/${entity}/entityInformation/fields`, {
      what: `read the fields of ${entity}`,
      entity,
    });
    const fields = (r.json as { fields?: unknown } | undefined)?.fields;
    return Array.isArray(fields) ? (fields as FieldInfo[]) : [];
  }

  /** `GET /V1.0/ThresholdInformation`: the hourly threshold and how much of it is used. */
  async threshold(): Promise<ThresholdInfo> {
    const root = await this.apiRoot();
    const r = await this.#request('GET', `${root}/ThresholdInformation`, {
      what: 'read the request threshold',
      entity: 'ThresholdInformation',
      noBudget: true,
    });
    const j = (r.json ?? {}) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    return {
      externalRequestThreshold: num(j.externalRequestThreshold),
      requestThresholdTimeframe: num(j.requestThresholdTimeframe),
      currentTimeframeRequestCount: num(j.currentTimeframeRequestCount),
    };
  }

  async #request(method: string, url: string, opts: RequestOptions & { entity?: string }): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    if (!opts.noAuth) {
      const c = this.#o.credentials;
      headers.ApiIntegrationCode = reveal(c.integrationCode);
      headers.UserName = reveal(c.username);
      headers.Secret = reveal(c.secret);
    }
    const counted = !opts.noAuth && !opts.noBudget;
    let r: Reply;
    try {
      const reply = await this.#http.request({
        method,
        url,
        headers,
        ...(body !== undefined ? { body } : {}),
        what: opts.what,
        // Queries only read and PATCH sets values: every Autotask request roster makes is safe to repeat.
        idempotent: true,
        ...(opts.entity ? { limitKey: opts.entity.toLowerCase() } : {}),
        transient: (x) => !(x.status === 500 && isRefusal(parseJson(x.text))),
        ...(opts.noAuth && method === 'GET' && body === undefined ? { followRedirects: true } : {}),
        ...(counted ? { beforeAttempt: () => this.#budget.take() } : {}),
      });
      r = { status: reply.status, headers: reply.headers, json: parseJson(reply.text), text: reply.text };
    } catch (err) {
      if (err instanceof HttpNetworkError) {
        throw new AutotaskNetworkError(
          `Autotask could not be reached at ${new URL(url).host} to ${opts.what} (${err.reason}; ${err.attempts} attempts)`,
        );
      }
      throw err;
    }
    if (r.status >= 400 && !opts.accept?.includes(r.status)) {
      throw new AutotaskApiError(opts.what, r.status, parseErrorBody(r.json, r.text), {
        refusal: isRefusal(r.json),
      });
    }
    return r;
  }
}

/**
 * A query body with the swagger's `QueryModel` names (`maxRecords`, `includeFields`, `filter`; its
 * example writes them in PascalCase, which Autotask also takes): see contract/autotask.wire-contract.json.
 */
function queryBody(q: QueryRequest, maxRecords: number): Row {
  return {
    maxRecords,
    ...(q.includeFields ? { includeFields: [...new Set(['id', ...q.includeFields])] } : {}),
    filter: q.filter,
  };
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Forget cached zones (tests). */
export function clearZoneCache(): void {
  zoneCache.clear();
}
