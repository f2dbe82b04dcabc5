import { createHash } from 'node:crypto';
import type { Logger } from '@roster/core';
import {
  AutotaskApiError,
  AutotaskBudgetError,
  AutotaskNetworkError,
  isRefusal,
  parseErrorBody,
} from './client-errors.js';
import { isLoopback, restRoot, ZONE_LOOKUP_URL } from './config.js';

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

export interface AutotaskClientOptions {
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
  /** Attempts per request, the first included (default 6). */
  maxAttempts?: number;
  /** First back-off delay; it doubles per attempt, with jitter (default 500 ms). */
  retryBaseMs?: number;
  /** Longest single wait, including one asked for by `Retry-After` (default 60 s). */
  maxRetryDelayMs?: number;
  /** Per-request timeout (default 60 s). */
  requestTimeoutMs?: number;
  /** Requests in flight per entity endpoint (default 3, Autotask's thread limit per integration). */
  threadLimit?: number;
  /**
   * Share (0–1] of the hourly request threshold past which the client stops with an error instead
   * of sending more (default 1: never stop; Autotask's 429 is then handled by retrying).
   */
  apiBudget?: number;
  /** Read `ThresholdInformation` before the first request and then every this many (default 250; 0: never). */
  thresholdCheckEvery?: number;
  /** Pause before each request once the database is past half its threshold (default 500 ms). */
  paceMs?: number;
  /** Injectable for tests: waits, randomness, transport. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
  log?: Logger;
}

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

/** `GET /V1.0/ThresholdInformation`. */
export interface ThresholdInfo {
  externalRequestThreshold: number;
  requestThresholdTimeframe: number;
  currentTimeframeRequestCount: number;
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
  /** The zone lookup: sent without the credential headers. */
  noAuth?: boolean;
  /** Skip the threshold check (the check itself). */
  noBudget?: boolean;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
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
  const v = headers.get('retry-after');
  if (!v) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A counting semaphore: at most `limit` holders at once, the rest wait in order. */
class Semaphore {
  #free: number;
  readonly #waiting: Array<() => void> = [];
  constructor(limit: number) {
    this.#free = Math.max(1, limit);
  }
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((r) => this.#waiting.push(r));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    };
  }
}

/**
 * An Autotask PSA REST client: zone lookup, the three credential headers, query paging through
 * `pageDetails.nextPageUrl`, PATCH updates, the hourly request threshold, retries, and counters
 * for the plan's stats.
 *
 * Every request it makes is safe to repeat (queries, reads, PATCH of values; Autotask offers no
 * create or delete of resources), so all are retried on 429, 502–504, network failures, and on a
 * 500 without Autotask's `errors` list (a crash, not a refusal: Autotask reports refused writes
 * as 500 with `errors`, and those are not retried). Waits follow `Retry-After` when sent, else an
 * exponential, jittered back-off.
 */
export class AutotaskClient {
  readonly #o: Required<Omit<AutotaskClientOptions, 'restRoot' | 'log'>> &
    Pick<AutotaskClientOptions, 'restRoot' | 'log'>;
  #root: string | undefined;
  #rootPending: Promise<string> | undefined;
  readonly #threads = new Map<string, Semaphore>();
  #usage: ThresholdInfo | undefined;
  #sinceCheck = 0;
  #checked = false;
  #thresholdPending: Promise<void> | undefined;
  #paceNoted = false;
  #apiCalls = 0;
  #throttled = 0;

  constructor(opts: AutotaskClientOptions) {
    this.#o = {
      zoneLookupUrl: ZONE_LOOKUP_URL,
      pageSize: 500,
      maxAttempts: 6,
      retryBaseMs: 500,
      maxRetryDelayMs: 60_000,
      requestTimeoutMs: 60_000,
      threadLimit: 3,
      apiBudget: 1,
      thresholdCheckEvery: 250,
      paceMs: 500,
      sleep: defaultSleep,
      random: Math.random,
      fetch: globalThis.fetch,
      ...opts,
    };
    if (!Number.isInteger(this.#o.pageSize) || this.#o.pageSize < 1 || this.#o.pageSize > 500)
      throw new Error('pageSize (MaxRecords) must be between 1 and 500');
    if (!(this.#o.apiBudget > 0) || this.#o.apiBudget > 1) throw new Error('apiBudget must be in (0, 1]');
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
    return { apiCalls: this.#apiCalls, throttled: this.#throttled };
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
      `${lookup}/V1.0/zoneInformation?user=${encodeURIComponent(username)}`,
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
    const body: Row = {
      MaxRecords: this.#o.pageSize,
      ...(q.includeFields ? { IncludeFields: [...new Set(['id', ...q.includeFields])] } : {}),
      Filter: q.filter,
    };
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
    const body: Row = {
      MaxRecords: maxRecords,
      ...(q.includeFields ? { IncludeFields: [...new Set(['id', ...q.includeFields])] } : {}),
      Filter: q.filter,
    };
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

  /**
   * Keep to the budget: read the threshold now and then; past `apiBudget` stop, past half the
   * threshold pace requests (Autotask slows everyone down from there, and the other
   * integrations of the database share what is left).
   */
  async #budget(): Promise<void> {
    const every = this.#o.thresholdCheckEvery;
    if (every <= 0) return;
    if (!this.#checked || this.#sinceCheck >= every) {
      this.#thresholdPending ??= this.threshold()
        .then(
          (t) => {
            this.#usage = t.externalRequestThreshold > 0 ? t : undefined;
          },
          (err: unknown) => {
            // Not every API user may read it; the budget is then kept by Autotask's own 429s.
            this.#usage = undefined;
            this.#o.log?.debug(`autotask: threshold not readable (${(err as Error).message})`);
          },
        )
        .finally(() => {
          this.#checked = true;
          this.#sinceCheck = 0;
          this.#thresholdPending = undefined;
        });
      await this.#thresholdPending;
    }
    this.#sinceCheck += 1;
    const u = this.#usage;
    if (!u) return;
    const used = u.currentTimeframeRequestCount + this.#sinceCheck;
    const share = used / u.externalRequestThreshold;
    if (this.#o.apiBudget < 1 && share >= this.#o.apiBudget) {
      throw new AutotaskBudgetError(
        `Autotask's hourly request threshold is at ${used} of ${u.externalRequestThreshold} (${Math.round(share * 100)}%), past this provider's apiBudget of ${this.#o.apiBudget}: the threshold is shared with every integration of the database, so roster stops here; run again later or raise apiBudget`,
      );
    }
    if (share >= 0.5 && this.#o.paceMs > 0) {
      if (!this.#paceNoted) {
        this.#paceNoted = true;
        this.#o.log?.debug(
          `autotask: ${Math.round(share * 100)}% of the hourly threshold used; pacing requests by ${this.#o.paceMs} ms`,
        );
      }
      await this.#o.sleep(this.#o.paceMs);
    }
  }

  #delay(attempt: number, headers?: Headers): number {
    const asked = headers ? retryAfterMs(headers) : undefined;
    const jitter = this.#o.random();
    if (asked !== undefined) {
      // At least what the server asked, plus a little jitter so clients do not return together.
      return Math.min(this.#o.maxRetryDelayMs, asked + jitter * Math.min(1000, this.#o.retryBaseMs));
    }
    const exp = this.#o.retryBaseMs * 2 ** (attempt - 1);
    return Math.min(this.#o.maxRetryDelayMs, exp * (0.5 + jitter));
  }

  #thread(entity: string): Semaphore {
    let s = this.#threads.get(entity);
    if (!s) {
      s = new Semaphore(this.#o.threadLimit);
      this.#threads.set(entity, s);
    }
    return s;
  }

  async #send(method: string, url: string, opts: RequestOptions & { entity?: string }): Promise<Reply> {
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
    const release = opts.entity ? await this.#thread(opts.entity).acquire() : undefined;
    try {
      this.#apiCalls += 1;
      let res: Response;
      try {
        res = await this.#o.fetch(url, {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          signal: AbortSignal.timeout(this.#o.requestTimeoutMs),
        });
      } catch (err) {
        throw new TransportError(describeTransport(err));
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        throw new TransportError(describeTransport(err));
      }
      let json: unknown;
      if (text) {
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
      }
      return { status: res.status, headers: res.headers, json, text };
    } finally {
      release?.();
    }
  }

  async #request(method: string, url: string, opts: RequestOptions & { entity?: string }): Promise<Reply> {
    const host = new URL(url).host;
    for (let attempt = 1; ; attempt++) {
      if (!opts.noAuth && !opts.noBudget) await this.#budget();
      let r: Reply;
      try {
        r = await this.#send(method, url, opts);
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        if (attempt >= this.#o.maxAttempts) {
          throw new AutotaskNetworkError(
            `Autotask could not be reached at ${host} to ${opts.what} (${err.message}; ${attempt} attempts)`,
          );
        }
        const wait = this.#delay(attempt);
        this.#o.log?.debug(`autotask: ${opts.what}: ${err.message}; retrying in ${Math.round(wait)} ms`);
        await this.#o.sleep(wait);
        continue;
      }
      if (r.status === 429) this.#throttled += 1;
      // A wait longer than we are willing to sleep (the hourly threshold asks for up to an hour)
      // is better reported now than retried in vain.
      const asked = retryAfterMs(r.headers);
      const retriable =
        RETRY_STATUSES.has(r.status) &&
        !(r.status === 500 && isRefusal(r.json)) &&
        attempt < this.#o.maxAttempts &&
        !(asked !== undefined && asked > this.#o.maxRetryDelayMs);
      if (retriable) {
        const wait = this.#delay(attempt, r.headers);
        this.#o.log?.debug(`autotask: ${opts.what}: HTTP ${r.status}; retrying in ${Math.round(wait)} ms`);
        await this.#o.sleep(wait);
        continue;
      }
      if (r.status >= 400 && !opts.accept?.includes(r.status)) {
        throw new AutotaskApiError(opts.what, r.status, parseErrorBody(r.json, r.text), {
          refusal: isRefusal(r.json),
        });
      }
      return r;
    }
  }
}

class TransportError extends Error {}

function describeTransport(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

/** Forget cached zones (tests). */
export function clearZoneCache(): void {
  zoneCache.clear();
}
