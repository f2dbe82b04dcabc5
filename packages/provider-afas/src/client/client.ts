import type { Logger } from '@roster/core';
import {
  HttpClient,
  HttpNetworkError,
  type HttpReply,
  retryAfterMs as httpRetryAfterMs,
  OutcomeUnknownError,
  type RetryOptions,
  retryOptionsOf,
} from '@roster/http';
import { AfasApiError, AfasNetworkError, parseErrorBody } from './errors.js';
import { authorizationHeader } from './token.js';

/** A credential value: a core `Secret` (revealed only when sent) or a plain string. */
export type SecretLike = string | { reveal(): string };

/** One row of a GetConnector, keyed by field id. */
export type Row = Record<string, unknown>;

/** GetConnector operator types (`operatortypes`). */
export const OPERATOR = {
  equals: 1,
  atLeast: 2,
  atMost: 3,
  greaterThan: 4,
  lessThan: 5,
  contains: 6,
  notEquals: 7,
  empty: 8,
  notEmpty: 9,
  startsWith: 10,
  notContains: 11,
  notStartsWith: 12,
  endsWith: 13,
  notEndsWith: 14,
  quickFilter: 15,
} as const;
export type OperatorType = (typeof OPERATOR)[keyof typeof OPERATOR];

/** One condition of a GetConnector filter. `value` is ignored by `empty`/`notEmpty` but still sent. */
export interface Filter {
  field: string;
  operator: OperatorType;
  value?: string;
}

export interface GetOptions {
  /** Conditions ANDed within a group; groups ORed. */
  filter?: Filter[][];
  /** Field ids to order by (`-Field` descending): AFAS's order is unstable across pages without one. */
  orderBy?: string[];
  /** Identity of a row, to keep each row once when data shifts between pages. */
  key?: (row: Row) => string;
}

/**
 * Retries and timeouts are `RetryOptions` (`@roster/http`); defaults here: 6 attempts, 500 ms first
 * back-off, a 60 s longest wait (a 503 asking for longer, maintenance, fails at once), 120 s per
 * request (the server itself gives up after 900 s).
 */
export interface AfasClientOptions extends RetryOptions {
  /** The ProfitRestServices URL, e.g. `https://12345.rest.afas.online/ProfitRestServices`. */
  baseUrl: string;
  /** The user token (XML or its data part). */
  token: SecretLike;
  /** `IntegrationId` header, for certified partners. */
  integrationId?: string;
  /**
   * Rows per GetConnector page (default 10,000). AFAS documents no maximum but fails with "Out of
   * memory" past about 150,000 cells per answer; roster's widest GetConnector has 11 columns.
   */
  pageSize?: number;
  /** Most pages fetched at once (default 4; AFAS advises at most 5 parallel calls). */
  pageConcurrency?: number;
  log?: Logger;
}

/** Client settings a caller may tune (tests: small pages, instant back-off). */
export type ClientTuning = Partial<Omit<AfasClientOptions, 'baseUrl' | 'token' | 'integrationId' | 'log'>>;

/** `GET /connectors/{id}` answer. */
export interface GetConnectorPage {
  skip: number;
  take: number;
  rows: Row[];
}

/** `GET /MetaInfo`: the connectors on the token's app connector, and who the token is. */
export interface MetaInfo {
  getConnectors: Array<{ id: string; description?: string }>;
  updateConnectors: Array<{ id: string; description?: string }>;
  info: Record<string, unknown>;
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** An earlier attempt may have been carried out (its answer was lost or a 5xx). */
  uncertain?: boolean;
}

interface RequestOptions {
  query?: URLSearchParams;
  body?: unknown;
  /** Safe to send again when the outcome is unknown (GET, and KnUser PUT, which sets absolute values). */
  idempotent: boolean;
  /** Describes the request in errors, e.g. `insert user 12345.WS (KnUser)`. */
  what: string;
  /** For an insert whose outcome is unknown: whether it happened after all. */
  recover?: () => Promise<boolean>;
}

/** The longest query string AFAS accepts; longer ones get a 404. */
export const MAX_QUERY_LENGTH = 2049;
/** 500 messages that are worth another attempt (timeouts and the like), unlike validation errors. */
const TRANSIENT_500 = /unexpected error|time-?out|timed out|deadlock|temporar|try again/i;

const reveal = (v: SecretLike) => (typeof v === 'string' ? v : v.reveal());
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** How long `Retry-After` asks to wait, in ms (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  return httpRetryAfterMs(headers, ['retry-after'], now);
}

/**
 * The GetConnector query parameters for a filter: `filterfieldids`/`filtervalues`/`operatortypes`
 * as parallel lists (`,` = AND, `;` = OR); or `filterjson` when a value holds `,` or `;`, which the
 * parallel lists cannot carry.
 */
export function filterParams(filter: Filter[][]): Record<string, string> {
  const groups = filter.filter((g) => g.length > 0);
  if (groups.length === 0) return {};
  const plain = groups.every((g) => g.every((f) => !/[,;]/.test(f.value ?? '') && !/[,;]/.test(f.field)));
  if (plain) {
    const join = (pick: (f: Filter) => string) => groups.map((g) => g.map(pick).join(',')).join(';');
    return {
      filterfieldids: join((f) => f.field),
      filtervalues: join((f) => f.value ?? ''),
      operatortypes: join((f) => String(f.operator)),
    };
  }
  return {
    filterjson: JSON.stringify({
      Filters: {
        Filter: groups.map((g, i) => ({
          '@FilterId': `Filter ${i + 1}`,
          Field: g.map((f) => ({
            '@FieldId': f.field,
            '@OperatorType': String(f.operator),
            '#text': f.value ?? '',
          })),
        })),
      },
    }),
  };
}

/**
 * An AFAS Profit REST client: AfasToken authentication, GetConnector paging (`skip`/`take`),
 * UpdateConnector inserts (POST) and updates (PUT), retries with back-off, and counters for the
 * plan's stats.
 *
 * Retries, through the shared HTTP layer (`@roster/http`): GETs and PUTs are retried on 502, 504,
 * transient 500s and network failures, and every request on 429/503 (not processed), waiting as
 * long as `Retry-After` (or a 503 body's `retry_after`) says or an exponential back-off with full
 * jitter. 401 and 403 are never retried. An insert is never blindly sent twice: when its outcome is
 * unknown it is first looked up by its natural key, and only sent again if it is not there; with
 * no lookup the caller gets `OutcomeUnknownError` and the next plan reconciles.
 */
export class AfasClient {
  readonly #o: Required<Omit<AfasClientOptions, 'integrationId' | 'log'>> &
    Pick<AfasClientOptions, 'integrationId' | 'log'>;
  readonly #base: string;
  readonly #http: HttpClient;

  constructor(opts: AfasClientOptions) {
    this.#o = {
      pageSize: 10_000,
      pageConcurrency: 4,
      maxAttempts: 6,
      baseDelayMs: 500,
      maxDelayMs: 60_000,
      timeoutMs: 120_000,
      sleep: defaultSleep,
      random: Math.random,
      fetch: globalThis.fetch,
      ...opts,
    };
    if (!Number.isInteger(this.#o.pageSize) || this.#o.pageSize < 1) throw new Error('pageSize must be ≥ 1');
    this.#base = opts.baseUrl.replace(/\/+$/, '');
    this.#http = new HttpClient({
      system: 'AFAS Profit',
      ...retryOptionsOf(this.#o),
      // AFAS advises at most 5 parallel calls per environment.
      concurrency: 5,
      onRetry: (e) =>
        this.#o.log?.debug(`afas: ${e.what}: ${e.reason}; retrying in ${Math.round(e.waitMs)} ms`),
    });
  }

  /**
   * A client for the same environment that signs in with another user's token (`roster test`):
   * same options, one retry at most.
   */
  withToken(token: SecretLike): AfasClient {
    return new AfasClient({ ...this.#o, baseUrl: this.#base, token, maxAttempts: 2 });
  }

  /** Requests sent (retries included) and answers that were throttling (429) or maintenance (503). */
  stats(): { apiCalls: number; throttled: number } {
    const s = this.#http.stats();
    return { apiCalls: s.apiCalls, throttled: s.throttled };
  }

  /** Host of the environment, for messages. */
  get host(): string {
    return new URL(this.#base).host;
  }

  /**
   * Every row of a GetConnector. AFAS gives no total, so after a full first page the next pages are
   * fetched speculatively, 1, 2, then up to `pageConcurrency` at a time, until a page comes back
   * short: small reads cost one call, large ones run in parallel.
   */
  async getRows(connector: string, opts: GetOptions = {}): Promise<Row[]> {
    const take = this.#o.pageSize;
    const out: Row[] = [];
    const seen = new Set<string>();
    // Rows shift between pages when users are added or removed meanwhile: keep each one once.
    // A full page that brings nothing new means the server ignores skip: stop rather than loop.
    const add = (rows: Row[], first: boolean) => {
      let fresh = 0;
      for (const r of rows) {
        const k = opts.key ? opts.key(r) : JSON.stringify(r);
        if (seen.has(k)) {
          if (!opts.key) out.push(r);
          continue;
        }
        seen.add(k);
        out.push(r);
        fresh += 1;
      }
      if (!first && rows.length === take && fresh === 0) {
        throw new Error(`GetConnector ${connector}: a page repeats the previous ones (is skip ignored?)`);
      }
    };
    const firstPage = await this.getPage(connector, 0, take, opts);
    add(firstPage.rows, true);
    let done = firstPage.rows.length < take;
    let next = take;
    let width = 1;
    while (!done) {
      const skips = Array.from({ length: width }, (_, i) => next + i * take);
      const batch = await Promise.all(skips.map((s) => this.getPage(connector, s, take, opts)));
      for (const p of batch) {
        add(p.rows, false);
        if (p.rows.length < take) {
          done = true;
          break;
        }
      }
      next += width * take;
      width = Math.min(width * 2, Math.max(1, this.#o.pageConcurrency));
    }
    return out;
  }

  /** One page: `GET /connectors/{id}?skip&take[&orderbyfieldids][&filter…]`. */
  async getPage(
    connector: string,
    skip: number,
    take: number,
    opts: GetOptions = {},
  ): Promise<GetConnectorPage> {
    const query = new URLSearchParams({ skip: String(skip), take: String(take) });
    if (opts.orderBy?.length) query.set('orderbyfieldids', opts.orderBy.join(','));
    for (const [k, v] of Object.entries(filterParams(opts.filter ?? []))) query.set(k, v);
    const r = await this.#request('GET', `/connectors/${encodeURIComponent(connector)}`, {
      query,
      idempotent: true,
      what: `read GetConnector ${connector}`,
    });
    const body = parseJson(r.text) as Partial<GetConnectorPage> | undefined;
    if (!body || !Array.isArray(body.rows)) {
      throw new Error(`GetConnector ${connector}: the answer has no rows list`);
    }
    return {
      skip: typeof body.skip === 'number' ? body.skip : skip,
      take: typeof body.take === 'number' ? body.take : take,
      rows: body.rows as Row[],
    };
  }

  /** UpdateConnector insert: `POST /connectors/{C}`. Returns the body, if any (AFAS often sends none). */
  async insert(
    connector: string,
    body: unknown,
    opts: { what: string; recover?: () => Promise<boolean> },
  ): Promise<unknown> {
    const r = await this.#request('POST', `/connectors/${encodeURIComponent(connector)}`, {
      body,
      idempotent: false,
      what: opts.what,
      ...(opts.recover ? { recover: opts.recover } : {}),
    });
    return parseJson(r.text);
  }

  /**
   * UpdateConnector update: `PUT /connectors/{C}`. Safe to repeat when it sets absolute values
   * (KnUser fields, block, unblock, group link), which is all roster sends.
   */
  async update(connector: string, body: unknown, opts: { what: string }): Promise<unknown> {
    const r = await this.#request('PUT', `/connectors/${encodeURIComponent(connector)}`, {
      body,
      idempotent: true,
      what: opts.what,
    });
    return parseJson(r.text);
  }

  /** `GET /MetaInfo`: the connectors the token's app connector allows, and who the token is. */
  async metaInfo(): Promise<MetaInfo> {
    const r = await this.#request('GET', '/MetaInfo', { idempotent: true, what: 'read MetaInfo' });
    const body = parseJson(r.text) as Partial<MetaInfo> | undefined;
    return {
      getConnectors: Array.isArray(body?.getConnectors) ? body.getConnectors : [],
      updateConnectors: Array.isArray(body?.updateConnectors) ? body.updateConnectors : [],
      info: body?.info && typeof body.info === 'object' ? body.info : {},
    };
  }

  /** One request through the HTTP layer; statuses ≥ 400 become `AfasApiError`. */
  async #send(method: string, path: string, opts: RequestOptions): Promise<Reply> {
    const query = opts.query?.toString() ?? '';
    if (query.length + 1 > MAX_QUERY_LENGTH) {
      throw new Error(
        `${opts.what}: the query string would be ${query.length + 1} characters; AFAS refuses more than ${MAX_QUERY_LENGTH}`,
      );
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      // Error messages in English, whatever the environment's language.
      'accept-language': 'en-us',
      authorization: authorizationHeader(reveal(this.#o.token)),
    };
    if (this.#o.integrationId) headers.integrationid = this.#o.integrationId;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json;charset=utf-8';
      body = JSON.stringify(opts.body);
    }
    let r: HttpReply;
    try {
      r = await this.#http.request({
        method,
        url: `${this.#base}${path}${query ? `?${query}` : ''}`,
        headers,
        ...(body !== undefined ? { body } : {}),
        what: opts.what,
        idempotent: opts.idempotent,
        // A 500 that is a refusal (an unknown field, a validation error) fails the same way again.
        transient: (x) => x.status !== 500 || TRANSIENT_500.test(this.#parsed(x).message),
        retryAfterFromBody: (x) => {
          const s = this.#parsed(x).retryAfter;
          return s !== undefined ? s * 1000 : undefined;
        },
      });
    } catch (err) {
      if (err instanceof HttpNetworkError) {
        throw new AfasNetworkError(
          `AFAS Profit could not be reached at ${this.host} to ${opts.what} (${err.reason}; ${err.attempts} attempts)`,
        );
      }
      throw err;
    }
    if (r.status < 400) return { status: r.status, headers: r.headers, text: r.text, uncertain: r.uncertain };
    const parsed = this.#parsed(r);
    if (r.status === 503 && r.retryAfterMs !== undefined && r.retryAfterMs > this.#o.maxDelayMs) {
      // Maintenance measured in hours: waiting inside a plan helps nobody.
      throw new AfasApiError(opts.what, r.status, {
        ...parsed,
        message: `${parsed.message}; AFAS asks to retry after ${Math.round(r.retryAfterMs / 1000)} s`,
      });
    }
    throw new AfasApiError(opts.what, r.status, parsed);
  }

  #parsed(r: Pick<HttpReply, 'text' | 'status' | 'headers'>) {
    const parsed = parseErrorBody(r.text, r.status, r.headers.get('x-profit-error'));
    if (parsed.logReference)
      this.#o.log?.debug(`afas: HTTP ${r.status}: profitLogReference ${parsed.logReference}`);
    return parsed;
  }

  async #request(method: string, path: string, opts: RequestOptions): Promise<Reply> {
    let uncertain = false;
    for (let round = 1; ; round++) {
      try {
        const r = await this.#send(method, path, opts);
        return uncertain || r.uncertain ? { ...r, uncertain: true } : r;
      } catch (err) {
        // An insert whose outcome is unknown: reconcile by natural key before anything else.
        if (!(err instanceof OutcomeUnknownError)) throw err;
        uncertain = true;
        if (await this.#recovered(opts)) return { status: 201, headers: new Headers(), text: '', uncertain };
        if (!opts.recover || round >= this.#o.maxAttempts) throw err;
        const wait = this.#http.backoff(round);
        this.#o.log?.debug(
          `afas: ${opts.what}: not found after ${err.reason}; sending it again in ${Math.round(wait)} ms`,
        );
        await this.#http.sleep(wait);
      }
    }
  }

  /** For an insert whose outcome is unknown: true if it was carried out after all. */
  async #recovered(opts: RequestOptions): Promise<boolean> {
    if (opts.idempotent || !opts.recover) return false;
    const found = await opts.recover();
    if (found) this.#o.log?.debug(`afas: ${opts.what}: the first attempt did succeed`);
    return found;
  }
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
