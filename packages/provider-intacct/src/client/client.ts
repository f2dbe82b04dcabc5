import type { Logger } from '@roster/core';
import {
  HttpClient,
  HttpNetworkError,
  retryAfterMs as httpRetryAfterMs,
  OutcomeUnknownError,
  type RetryOptions,
  retryOptionsOf,
} from '@roster/http';
import { IntacctApiError, IntacctNetworkError, parseErrorBody } from './errors.js';

/** A credential value: a core `Secret` (revealed only when sent) or a plain string. */
export type SecretLike = string | { reveal(): string };

/** OAuth2 client-credentials sign-in: the Web Services client and the Intacct user it acts as. */
export interface IntacctCredentials {
  clientId: SecretLike;
  clientSecret: SecretLike;
  userId: string;
}

/**
 * Retries and timeouts are `RetryOptions` (`@roster/http`); defaults here: 6 attempts, 500 ms first
 * back-off, a 60 s longest wait (a `Retry-After` asking for longer is reported at once), 60 s per
 * request.
 */
export interface IntacctClientOptions extends RetryOptions {
  /** Scheme and host of the API, e.g. `https://api.intacct.com`; the client adds `/ia/api/v1`. */
  baseUrl: string;
  companyId: string;
  /** Sign in at this entity (`username=user@company|entity`). */
  entityId?: string;
  credentials: IntacctCredentials;
  /** Rows per query page (default and maximum 4000). */
  pageSize?: number;
  /** Query pages fetched at once once the total is known (default 4). */
  pageConcurrency?: number;
  /** Requests in flight at once through this client (default 8). */
  concurrency?: number;
  /** Renew the token this long before it expires (default 5 min, at most a tenth of its life). */
  tokenMarginMs?: number;
  log?: Logger;
}

/** `{key, id, href}`: what create and update answer. */
export interface ObjectRef {
  key: string;
  id?: string;
  href?: string;
}

/** A `POST /services/core/query` body, without paging (the client pages). */
export interface QueryBody {
  object: string;
  fields: string[];
  filters?: Array<Record<string, Record<string, unknown>>>;
  filterExpression?: string;
  filterParameters?: Record<string, unknown>;
  orderBy?: Array<Record<string, 'asc' | 'desc'>>;
}

export type Row = Record<string, unknown>;

interface Reply {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
  /** An earlier attempt may have been carried out (its answer was lost or a 5xx). */
  uncertain?: boolean;
}

interface RequestOptions {
  body?: unknown;
  /** Safe to send again when the outcome is unknown (GET, PATCH, DELETE, query). */
  idempotent: boolean;
  idempotencyKey?: string;
  /** Describes the request in errors, e.g. `create company-config/user WS_X`. */
  what: string;
  /** Statuses that are an answer, not an error (e.g. 404 for a lookup). */
  accept?: readonly number[];
  /**
   * For a create whose outcome is unknown (connection lost, 5xx): find out whether it happened.
   * A found object ends the request; otherwise it is sent again with the same Idempotency-Key.
   */
  recover?: () => Promise<ObjectRef | undefined>;
  /** The token request itself: sent without a bearer token. */
  noAuth?: boolean;
}

const API = '/ia/api/v1';
/** Intacct's gateway sends its wait in `X-IA-*` headers as well as (or instead of) `Retry-After`. */
const RETRY_AFTER_HEADERS = [
  'retry-after',
  'x-ia-throttle-limit-retryafter',
  'x-ia-throttle-limit-retry-after',
  'x-ia-hour-rate-limit-retry-after',
  'x-ia-tenant-throttle-limit-retry-after',
];

const reveal = (v: SecretLike) => (typeof v === 'string' ? v : v.reveal());
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** How long `Retry-After` (or an `X-IA-*-Retry-After` header) asks to wait, in ms. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  return httpRetryAfterMs(headers, RETRY_AFTER_HEADERS, now);
}

/**
 * A Sage Intacct REST client: OAuth2 client credentials, the `ia::` envelope, query paging,
 * retries with back-off, and counters for the plan's stats.
 *
 * Requests go through the shared HTTP layer (`@roster/http`): requests that are safe to repeat
 * (GET, PATCH, DELETE, query, token) are retried on 5xx and network failures, and every request
 * on 429/503 (not processed), waiting as long as `Retry-After` (or `X-IA-*-Retry-After`) says or
 * an exponential back-off with full jitter. A create is never blindly sent twice: when its
 * outcome is unknown the layer stops, the object is looked up by its natural key, and it is sent
 * again (with the same Idempotency-Key) only if it is not there.
 */
export class IntacctClient {
  readonly #o: Required<Omit<IntacctClientOptions, 'entityId' | 'log'>> &
    Pick<IntacctClientOptions, 'entityId' | 'log'>;
  readonly #base: string;
  #token: string | undefined;
  #tokenExpiresAt = 0;
  #tokenPending: Promise<string> | undefined;
  readonly #http: HttpClient;

  constructor(opts: IntacctClientOptions) {
    this.#o = {
      pageSize: 4000,
      pageConcurrency: 4,
      maxAttempts: 6,
      baseDelayMs: 500,
      maxDelayMs: 60_000,
      timeoutMs: 60_000,
      concurrency: 8,
      tokenMarginMs: 300_000,
      sleep: defaultSleep,
      random: Math.random,
      fetch: globalThis.fetch,
      ...opts,
    };
    if (this.#o.pageSize < 1 || this.#o.pageSize > 4000)
      throw new Error('pageSize must be between 1 and 4000');
    this.#base = opts.baseUrl.replace(/\/+$/, '');
    this.#http = new HttpClient({
      system: 'Intacct',
      ...retryOptionsOf(this.#o),
      // Query pages run `pageConcurrency` at a time; creates and updates come from the executor's
      // own per-provider limit. This caps the sum.
      concurrency: this.#o.concurrency,
      retryAfterHeaders: RETRY_AFTER_HEADERS,
      onRetry: (e) =>
        this.#o.log?.debug(`intacct: ${e.what}: ${e.reason}; retrying in ${Math.round(e.waitMs)} ms`),
    });
  }

  /**
   * A client that signs in as another user of the same company with the same Web Services client
   * (`roster test`): same options, one retry at most, its own token.
   */
  signedInAs(userId: string): IntacctClient {
    return new IntacctClient({
      ...this.#o,
      baseUrl: this.#base,
      credentials: { ...this.#o.credentials, userId },
      maxAttempts: 2,
    });
  }

  /** Sign in now (the token request), unless a valid token is at hand. */
  async authenticate(): Promise<void> {
    await this.#accessToken();
  }

  /** The first `size` rows of a query (one page, no paging): for checks that need one row. */
  async queryPage(q: QueryBody, size: number): Promise<Row[]> {
    if (!Number.isInteger(size) || size < 1 || size > 4000)
      throw new Error('size must be between 1 and 4000');
    return (await this.#page(q, 1, size)).rows;
  }

  /** Requests sent (token requests and retries included) and answers that were throttling. */
  stats(): { apiCalls: number; throttled: number } {
    const s = this.#http.stats();
    return { apiCalls: s.apiCalls, throttled: s.throttled };
  }

  /** Every row of a query: pages of `pageSize`; once the total is known, the rest in parallel. */
  async query(q: QueryBody): Promise<Row[]> {
    const size = this.#o.pageSize;
    const first = await this.#page(q, 1, size);
    const pages: Row[][] = [first.rows];
    let next = first.next;
    let lastStart = 1;
    if (next !== null && first.total !== undefined) {
      const starts: number[] = [];
      for (let s = next; s <= first.total; s += size) starts.push(s);
      const rest = await mapLimit(starts, this.#o.pageConcurrency, (s) => this.#page(q, s, size));
      for (const p of rest) pages.push(p.rows);
      const last = rest.at(-1);
      // The data may have grown while we paged: carry on from where the last page points.
      next = last ? last.next : null;
      lastStart = starts.at(-1) ?? 1;
    }
    while (next !== null) {
      if (next <= lastStart)
        throw new Error(`query ${q.object}: the service returned a page that goes backwards (next ${next})`);
      lastStart = next;
      const p = await this.#page(q, next, size);
      pages.push(p.rows);
      next = p.next;
    }
    // Rows shift between pages when objects are added or removed meanwhile: keep each key once.
    const seen = new Set<unknown>();
    const out: Row[] = [];
    for (const rows of pages) {
      for (const r of rows) {
        const k = r.key;
        if (k !== undefined && k !== null) {
          if (seen.has(k)) continue;
          seen.add(k);
        }
        out.push(r);
      }
    }
    return out;
  }

  async #page(
    q: QueryBody,
    start: number,
    size: number,
  ): Promise<{ rows: Row[]; next: number | null; total?: number }> {
    const r = await this.#request('POST', `${API}/services/core/query`, {
      body: { ...q, start, size },
      idempotent: true,
      what: `query ${q.object}`,
    });
    const body = r.json as { 'ia::result'?: unknown; 'ia::meta'?: { next?: unknown; totalCount?: unknown } };
    if (!Array.isArray(body?.['ia::result']))
      throw new Error(`query ${q.object}: the answer has no ia::result list`);
    const meta = body['ia::meta'] ?? {};
    return {
      rows: body['ia::result'] as Row[],
      next: typeof meta.next === 'number' ? meta.next : null,
      ...(typeof meta.totalCount === 'number' ? { total: meta.totalCount } : {}),
    };
  }

  /** `GET /objects/<object>/<key>`; undefined when there is no such object. */
  async get(object: string, key: string): Promise<Row | undefined> {
    const r = await this.#request('GET', `${API}/objects/${object}/${encodeURIComponent(key)}`, {
      idempotent: true,
      what: `read ${object} ${key}`,
      accept: [404],
    });
    if (r.status === 404) return undefined;
    return ((r.json as { 'ia::result'?: Row })?.['ia::result'] ?? {}) as Row;
  }

  /** `POST /objects/<object>` with an Idempotency-Key. */
  async create(
    object: string,
    body: Row,
    opts: { idempotencyKey: string; what?: string; recover?: () => Promise<ObjectRef | undefined> },
  ): Promise<ObjectRef> {
    const r = await this.#request('POST', `${API}/objects/${object}`, {
      body,
      idempotent: false,
      idempotencyKey: opts.idempotencyKey,
      what: opts.what ?? `create ${object}`,
      ...(opts.recover ? { recover: opts.recover } : {}),
    });
    return refOf(r.json);
  }

  /** `PATCH /objects/<object>/<key>`: only the fields given change. */
  async patch(
    object: string,
    key: string,
    body: Row,
    opts: { idempotencyKey?: string; what?: string } = {},
  ): Promise<ObjectRef> {
    const r = await this.#request('PATCH', `${API}/objects/${object}/${encodeURIComponent(key)}`, {
      body,
      idempotent: true,
      ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
      what: opts.what ?? `update ${object} ${key}`,
    });
    return refOf(r.json);
  }

  /**
   * `DELETE /objects/<object>/<key>`. A 404 after a retry means an earlier attempt did it; a 404
   * on the first attempt is an error (the object was not there).
   */
  async delete(object: string, key: string, opts: { what?: string } = {}): Promise<void> {
    const r = await this.#request('DELETE', `${API}/objects/${object}/${encodeURIComponent(key)}`, {
      idempotent: true,
      what: opts.what ?? `delete ${object} ${key}`,
      accept: [404],
    });
    if (r.status === 404 && !r.uncertain) {
      throw new IntacctApiError(
        opts.what ?? `delete ${object} ${key}`,
        404,
        parseErrorBody(r.json, 404, r.text),
      );
    }
  }

  /** The current access token, signing in when there is none or it is about to expire. */
  async #accessToken(): Promise<string> {
    if (this.#token && Date.now() < this.#tokenExpiresAt) return this.#token;
    this.#tokenPending ??= this.#signIn().finally(() => {
      this.#tokenPending = undefined;
    });
    return this.#tokenPending;
  }

  async #signIn(): Promise<string> {
    const c = this.#o.credentials;
    const username = `${c.userId}@${this.#o.companyId}${this.#o.entityId ? `|${this.#o.entityId}` : ''}`;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: reveal(c.clientId),
      client_secret: reveal(c.clientSecret),
      username,
    });
    // The user ID is a credential too: messages name only the company.
    const who = `company ${this.#o.companyId}`;
    const r = await this.#request('POST', `${API}/oauth2/token`, {
      body: form,
      idempotent: true,
      what: `sign in to ${who}`,
      noAuth: true,
    });
    const body = r.json as { access_token?: unknown; expires_in?: unknown };
    if (typeof body?.access_token !== 'string')
      throw new Error(`Intacct did not sign in to ${who}: the token answer has no access_token`);
    const lifeMs = (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000;
    this.#token = body.access_token;
    this.#tokenExpiresAt = Date.now() + lifeMs - Math.min(this.#o.tokenMarginMs, lifeMs / 10);
    this.#o.log?.debug(`intacct: signed in to ${who}`);
    return this.#token;
  }

  /** One request: headers and body built, sent through the HTTP layer, its answer parsed. */
  async #send(method: string, path: string, opts: RequestOptions): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (opts.body instanceof URLSearchParams) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = opts.body.toString();
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    if (!opts.noAuth) headers.authorization = `Bearer ${await this.#accessToken()}`;
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    try {
      const r = await this.#http.request({
        method,
        url: `${this.#base}${path}`,
        headers,
        ...(body !== undefined ? { body } : {}),
        what: opts.what,
        idempotent: opts.idempotent,
      });
      return {
        status: r.status,
        headers: r.headers,
        json: parseJson(r.text),
        text: r.text,
        uncertain: r.uncertain,
      };
    } catch (err) {
      if (err instanceof HttpNetworkError) {
        throw new IntacctNetworkError(
          `Intacct could not be reached at ${new URL(this.#base).host} to ${opts.what} (${err.reason}; ${err.attempts} attempts)`,
        );
      }
      throw err;
    }
  }

  async #request(method: string, path: string, opts: RequestOptions): Promise<Reply> {
    let reauthenticated = false;
    let uncertain = false;
    for (let round = 1; ; round++) {
      let r: Reply;
      try {
        r = await this.#send(method, path, opts);
      } catch (err) {
        // A create whose outcome is unknown: reconcile by natural key before anything else.
        if (!(err instanceof OutcomeUnknownError)) throw err;
        uncertain = true;
        const recovered = await this.#recover(opts);
        if (recovered) return recovered;
        if (!opts.recover || round >= this.#o.maxAttempts) throw err;
        const wait = this.#http.backoff(round);
        this.#o.log?.debug(
          `intacct: ${opts.what}: not found after ${err.reason}; sending it again in ${Math.round(wait)} ms`,
        );
        await this.#http.sleep(wait);
        continue;
      }
      const invalidToken = r.status === 401 || (r.status === 400 && /invalid token/i.test(r.text));
      if (invalidToken && !opts.noAuth && !reauthenticated) {
        // The token expired or was revoked: sign in again, once, and repeat the request.
        reauthenticated = true;
        this.#token = undefined;
        this.#tokenExpiresAt = 0;
        round -= 1;
        continue;
      }
      if (r.status >= 400 && !opts.accept?.includes(r.status)) {
        throw new IntacctApiError(opts.what, r.status, parseErrorBody(r.json, r.status, r.text));
      }
      return uncertain || r.uncertain ? { ...r, uncertain: true } : r;
    }
  }

  /** For a create whose outcome is unknown: the object if it was made after all. */
  async #recover(opts: RequestOptions): Promise<Reply | undefined> {
    if (opts.idempotent) return undefined;
    if (!opts.recover) return undefined;
    const found = await opts.recover();
    if (!found) return undefined;
    this.#o.log?.debug(`intacct: ${opts.what}: the first attempt did succeed (found ${found.key})`);
    return { status: 201, headers: new Headers(), json: { 'ia::result': found }, text: '' };
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function refOf(json: unknown): ObjectRef {
  const r = (json as { 'ia::result'?: unknown })?.['ia::result'];
  if (!r || typeof r !== 'object' || typeof (r as ObjectRef).key !== 'string') {
    throw new Error('Intacct answered without the object reference ({key, id, href}) it returns on writes');
  }
  return r as ObjectRef;
}

/** Run `fn` over `items` with at most `limit` at once, results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}
