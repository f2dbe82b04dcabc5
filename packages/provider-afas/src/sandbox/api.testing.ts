import { authorizationHeader } from '../client/token.js';

/** A JSON body as tests explore it. */
// biome-ignore lint/suspicious/noExplicitAny: tests read answers freely; a wrong path fails the assertion anyway
export type Json = any;

export interface RawAnswer {
  status: number;
  json: Json;
  text: string;
  headers: Headers;
}

/** A token roster's sandbox accepts when it was started without credentials. */
/** The mandatory insert fields besides UsId, MtCd and Nm, with the values roster sends. */
export const INSERT_DEFAULTS = {
  Awin: false,
  Acon: true,
  Abac: false,
  Acom: false,
  Site: false,
  InSi: false,
};

export const ANY_TOKEN = '<token><version>1</version><data>ANY</data></token>';

/** A bare HTTP caller of the simulator for tests: no retries, every status visible. */
export class RawApi {
  constructor(
    readonly url: string,
    readonly token: string = ANY_TOKEN,
    /** The console's per-run secret (`sim.consoleToken`), for `console`. */
    readonly consoleToken?: string,
  ) {}

  async #fetch(url: string, init: RequestInit): Promise<RawAnswer> {
    const res = await fetch(url, init);
    const text = await res.text();
    let json: Json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  /** An API call under `/ProfitRestServices`, with `token` (or the given one; `null` sends none). */
  call(method: string, path: string, body?: unknown, token: string | null = this.token): Promise<RawAnswer> {
    return this.#fetch(`${this.url}/ProfitRestServices${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token !== null ? { authorization: authorizationHeader(token) } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  /** `GET /connectors/{id}` with query parameters. */
  get(connector: string, params: Record<string, string> = {}, token?: string | null): Promise<RawAnswer> {
    const q = new URLSearchParams(params).toString();
    return this.call('GET', `/connectors/${connector}${q ? `?${q}` : ''}`, undefined, token);
  }

  /** A KnUser insert (POST) or update (PUT) with these fields. */
  knUser(method: 'POST' | 'PUT', userId: string, fields: Record<string, unknown>, token?: string | null) {
    return this.call(
      method,
      '/connectors/KnUser',
      { KnUser: { Element: { Fields: { UsId: userId, ...fields } } } },
      token,
    );
  }

  /** Insert a valid token user (every mandatory insert field, e-mail, InSite), optionally in groups. */
  async user(userId: string, extra: Record<string, unknown> = {}, groups: string[] = []): Promise<void> {
    const r = await this.knUser('POST', userId, {
      MtCd: '1',
      Nm: `User ${userId}`,
      ...INSERT_DEFAULTS,
      EmAd: `${userId.toLowerCase()}@example.com`,
      InSi: true,
      ...extra,
    });
    if (r.status !== 201) throw new Error(`insert ${userId}: ${r.status} ${r.text}`);
    for (const g of groups) {
      const p = await this.knUser('PUT', userId, { MtCd: '1', GrId: g });
      if (p.status !== 201) throw new Error(`link ${userId} to ${g}: ${p.status} ${p.text}`);
    }
  }

  /** A console call under `/__sandbox`. */
  console(method: string, path: string, body?: unknown): Promise<RawAnswer> {
    return this.#fetch(`${this.url}/__sandbox${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(this.consoleToken ? { 'x-roster-sandbox-token': this.consoleToken } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  /** A console call that must succeed; its JSON. */
  async ok(method: string, path: string, body?: unknown): Promise<Json> {
    const r = await this.console(method, path, body);
    if (r.status >= 300) throw new Error(`${method} /__sandbox${path}: ${r.status} ${r.text}`);
    return r.json;
  }

  /**
   * A group, an app connector linked to it with the given GetConnectors (unblocked unless asked),
   * a member user, and a token for it: everything a user needs to exchange data.
   */
  async tokenUser(
    userId: string,
    opts: { group?: string; getConnectors?: string[]; blocked?: boolean; member?: boolean } = {},
  ): Promise<{ appConnector: string; token: string; tokenId: string }> {
    const group = opts.group ?? 'INT-APP';
    const exists = await this.console('GET', `/groups/${group}`);
    if (exists.status === 404) await this.ok('POST', '/groups', { id: group, description: `${group} users` });
    await this.user(userId, {}, opts.member === false ? [] : [group]);
    const a = await this.ok('POST', '/app-connectors', {
      description: `App for ${userId}`,
      group,
      getConnectors: opts.getConnectors ?? ['Profit_Users'],
      updateConnectors: ['KnUser'],
    });
    if (opts.member === false) await this.ok('PUT', `/groups/${group}/members/${userId}`);
    const t = await this.ok('POST', `/app-connectors/${a.id}/tokens`, { userId, description: 'test device' });
    if (opts.member === false) await this.ok('DELETE', `/groups/${group}/members/${userId}`);
    if (opts.blocked !== true) await this.ok('PATCH', `/app-connectors/${a.id}`, { blocked: false });
    return { appConnector: a.id, token: t.token, tokenId: t.id };
  }
}
