/** A JSON body as tests explore it. */
// biome-ignore lint/suspicious/noExplicitAny: tests read answers freely; a wrong path fails the assertion anyway
export type Json = any;

/** A bare HTTP caller of the simulator for tests: no retries, every status visible. */
export class RawApi {
  #token: string | undefined;
  constructor(
    readonly url: string,
    readonly username = 'Admin@demo-co',
    readonly client = { id: 'any-client', secret: 'any-secret' },
  ) {}

  async signIn(username = this.username): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${this.url}/ia/api/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.client.id,
        client_secret: this.client.secret,
        username,
      }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status === 200) this.#token = json.access_token as string;
    return { status: res.status, json };
  }

  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Json; headers: Headers }> {
    if (!this.#token) {
      const r = await this.signIn();
      if (r.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(r.json)}`);
    }
    const res = await fetch(`${this.url}${path.startsWith('/__') ? '' : '/ia/api/v1'}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.#token}`, 'content-type': 'application/json', ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
  }

  /** Result of a successful call, or an error with the body. */
  async ok(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Json> {
    const r = await this.call(method, path, body, headers);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json?.['ia::result'];
  }

  query(body: Record<string, unknown>) {
    return this.call('POST', '/services/core/query', body);
  }

  async userKey(id: string): Promise<string> {
    const r = await this.query({
      object: 'company-config/user',
      fields: ['key'],
      filters: [{ $eq: { id } }],
    });
    const key = r.json['ia::result'][0]?.key;
    if (!key) throw new Error(`no user ${id}`);
    return key;
  }

  /** POST a web services user with an inline contact. */
  createUser(id: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>) {
    const email = `${id.toLowerCase()}@example.com`;
    return this.call(
      'POST',
      '/objects/company-config/user',
      {
        id,
        userName: id,
        accountEmail: email,
        webServices: { isRestricted: true },
        password: { neverExpires: true },
        contact: { id: `C ${id}`, firstName: 'Web', lastName: id, email1: email },
        ...extra,
      },
      headers,
    );
  }
}
