import type { Secret } from '@roster/core';
import { HttpClient, type HttpClientOptions, type HttpReply } from '@roster/http';
import { type ServerFacts, serverFacts } from './discovery.js';
import { errorOf } from './errors.js';

/** The SCIM media type (RFC 7644 §3.8). */
export const SCIM_JSON = 'application/scim+json';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** A SCIM resource as the server sends it. */
export type ScimResource = Record<string, unknown> & { id: string };

/** A resource with the validator the server gave it (`ETag` header, else `meta.version`). */
export interface Versioned {
  resource: ScimResource;
  version: string | undefined;
}

/** How roster signs in: a bearer token, or HTTP basic. */
export type ScimAuth = { token: Secret } | { username: Secret; password: Secret };

export interface ScimClientOptions {
  /** Base URL, e.g. `https://tools.example.com/scim/v2` (no trailing slash needed). */
  endpoint: string;
  auth: ScimAuth;
  /** Page size asked for (`count`); the server may send fewer, which paging copes with. */
  pageSize: number;
  http?: HttpClientOptions;
}

/** A PATCH operation (RFC 7644 §3.5.2). */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path?: string;
  value?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The wire: one SCIM server over `@roster/http` (retries, timeouts, `Retry-After`). It turns error
 * answers into `ScimError`s, pages lists by `startIndex`/`count` until `totalResults`, and carries
 * `If-Match` when it is given a version.
 */
export class ScimClient {
  readonly #base: string;
  readonly #auth: ScimAuth;
  readonly #pageSize: number;
  readonly http: HttpClient;

  constructor(opts: ScimClientOptions) {
    this.#base = opts.endpoint.replace(/\/+$/, '');
    this.#auth = opts.auth;
    this.#pageSize = opts.pageSize;
    this.http = new HttpClient({ system: 'the SCIM server', ...opts.http });
  }

  /** `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas`, read before anything else. */
  async discover(): Promise<ServerFacts> {
    const config = await this.#json('GET', '/ServiceProviderConfig', 'read the ServiceProviderConfig');
    const types = await this.list('/ResourceTypes', 'read the ResourceTypes');
    const schemas = await this.list('/Schemas', 'read the Schemas');
    return serverFacts(config.body, types, schemas);
  }

  /**
   * Every resource at `path` (with `filter`, when given): pages of `count` from `startIndex` 1,
   * advancing by what each page held until `totalResults` are read. A server that sends fewer than
   * asked (scimmy's 20, a `maxResults`) is simply paged further.
   */
  async list(path: string, what: string, filter?: string): Promise<ScimResource[]> {
    const out: ScimResource[] = [];
    // A resource created or deleted between two pages shifts the rest: an id is kept once.
    const seen = new Set<string>();
    let start = 1;
    for (let pages = 0; pages < 10_000; pages++) {
      const q = new URLSearchParams({ startIndex: String(start), count: String(this.#pageSize) });
      if (filter !== undefined) q.set('filter', filter);
      const { body } = await this.#json('GET', `${path}?${q}`, what);
      if (!isObject(body)) throw errorOf(what, 502, { detail: 'the answer is not a SCIM ListResponse' });
      // A server that answers an endpoint with one resource instead of a list (some do for /Schemas).
      if (!Array.isArray(body.schemas) || !body.schemas.includes(LIST_RESPONSE)) {
        if (Array.isArray(body.Resources)) out.push(...(body.Resources as ScimResource[]));
        else if (Array.isArray(body)) out.push(...(body as ScimResource[]));
        return out;
      }
      // A server that ignores startIndex would send the first page again and again.
      if (typeof body.startIndex === 'number' && body.startIndex !== start)
        throw errorOf(what, 502, {
          detail: `asked for results from startIndex ${start}, the server sent them from ${body.startIndex}: it does not page as RFC 7644 §3.4.2.4 says`,
        });
      const page = Array.isArray(body.Resources) ? (body.Resources as ScimResource[]) : [];
      for (const r of page) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        out.push(r);
      }
      const total = typeof body.totalResults === 'number' ? body.totalResults : out.length;
      if (page.length === 0 || start - 1 + page.length >= total) return out;
      start += page.length;
    }
    throw errorOf(what, 502, { detail: 'the server kept sending pages past 10,000' });
  }

  async get(path: string, what: string): Promise<Versioned | undefined> {
    const r = await this.#json('GET', path, what, undefined, { allow404: true });
    if (r.status === 404) return undefined;
    return this.#versioned(r, what);
  }

  async create(path: string, body: Record<string, unknown>, what: string): Promise<Versioned> {
    return this.#versioned(await this.#json('POST', path, what, body), what);
  }

  async put(path: string, body: Record<string, unknown>, what: string, version?: string): Promise<Versioned> {
    return this.#versioned(await this.#json('PUT', path, what, body, { version }), what);
  }

  /** PATCH; a server that answers 204 (nothing to send, or nothing changed) is read back with GET. */
  async patch(path: string, ops: PatchOperation[], what: string, version?: string): Promise<Versioned> {
    const r = await this.#json('PATCH', path, what, { schemas: [PATCH_OP], Operations: ops }, { version });
    if (r.status === 204 || r.body === undefined) {
      const read = await this.get(path, `read back after: ${what}`);
      if (!read) throw errorOf(what, 404, { detail: 'the resource is gone after the PATCH' });
      return read;
    }
    return this.#versioned(r, what);
  }

  async delete(path: string, what: string, version?: string): Promise<void> {
    await this.#json('DELETE', path, what, undefined, { version, allow404: true });
  }

  stats(): { apiCalls: number; throttled: number } {
    const s = this.http.stats();
    return { apiCalls: s.apiCalls, throttled: s.throttled };
  }

  #versioned(r: { body: unknown; etag: string | undefined }, what: string): Versioned {
    if (!isObject(r.body) || typeof r.body.id !== 'string')
      throw errorOf(what, 502, { detail: 'the answer holds no resource with an id' });
    const meta = isObject(r.body.meta) ? r.body.meta : {};
    const version = r.etag ?? (typeof meta.version === 'string' ? meta.version : undefined);
    return { resource: r.body as ScimResource, version };
  }

  async #json(
    method: string,
    path: string,
    what: string,
    body?: unknown,
    opts: { version?: string | undefined; allow404?: boolean } = {},
  ): Promise<{ status: number; body: unknown; etag: string | undefined }> {
    const headers: Record<string, string> = {
      accept: `${SCIM_JSON}, application/json`,
      authorization: this.#authorization(),
    };
    if (body !== undefined) headers['content-type'] = SCIM_JSON;
    if (opts.version !== undefined) headers['if-match'] = opts.version;
    const reply: HttpReply = await this.http.request({
      method,
      url: `${this.#base}${path}`,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      what,
      // A PATCH of absolute values (replace, add to a set, remove by filter) gives the same result twice.
      ...(method === 'PATCH' ? { idempotent: true } : {}),
    });
    const parsed = parse(reply.text);
    if (reply.status === 404 && opts.allow404) return { status: 404, body: parsed, etag: undefined };
    if (reply.status >= 400) throw errorOf(what, reply.status, parsed);
    return { status: reply.status, body: parsed, etag: reply.headers.get('etag') ?? undefined };
  }

  #authorization(): string {
    const a = this.#auth;
    if ('token' in a) return `Bearer ${a.token.reveal()}`;
    return `Basic ${Buffer.from(`${a.username.reveal()}:${a.password.reveal()}`).toString('base64')}`;
  }
}

function parse(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { detail: 'the answer is not JSON' };
  }
}
