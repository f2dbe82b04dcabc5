/** A bare Sage Intacct REST client for tests: changes the sandbox behind roster's back. */
export class IntacctApi {
  #token?: string;
  constructor(
    readonly url: string,
    readonly username = 'admin@demo-co',
    /** The admin console's per-run secret (`serveSandbox(…).token`), for `login`. */
    readonly consoleToken?: string,
  ) {}

  async token(): Promise<string> {
    if (this.#token) return this.#token;
    const res = await fetch(`${this.url}/ia/api/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'test-client',
        client_secret: 'test-secret',
        username: this.username,
      }),
    });
    if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
    this.#token = ((await res.json()) as { access_token: string }).access_token;
    return this.#token;
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${this.url}/ia/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.token()}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  }

  /** The key of a user by its ID. */
  async userKey(id: string): Promise<string> {
    const r = await this.call('POST', '/services/core/query', {
      object: 'company-config/user',
      fields: ['key', 'id'],
      filters: [{ $eq: { id } }],
    });
    const rows = (r.json as { 'ia::result': Array<{ key: string }> })['ia::result'];
    if (!rows[0]) throw new Error(`no user ${id}`);
    return rows[0].key;
  }

  async user(id: string): Promise<Record<string, unknown>> {
    const r = await this.call('GET', `/objects/company-config/user/${await this.userKey(id)}`);
    return (r.json as { 'ia::result': Record<string, unknown> })['ia::result'];
  }

  async patchUser(id: string, body: Record<string, unknown>): Promise<number> {
    const r = await this.call('PATCH', `/objects/company-config/user/${await this.userKey(id)}`, body);
    if (r.status !== 200) throw new Error(`patch ${id}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.status;
  }

  async createStandardUser(id: string): Promise<void> {
    const r = await this.call('POST', '/objects/company-config/user', {
      id,
      userName: id,
      accountEmail: `${id.toLowerCase()}@example.com`,
      userType: 'business',
      contact: { id: `C_${id}`, firstName: 'Std', lastName: id, email1: `${id.toLowerCase()}@example.com` },
      webServices: { isRestricted: false },
    });
    if (r.status !== 201) throw new Error(`create ${id}: ${r.status} ${JSON.stringify(r.json)}`);
  }

  /** Stand-in for the integration signing in once: the ID becomes "activated". */
  async login(id: string): Promise<void> {
    const res = await fetch(`${this.url}/__sandbox/users/${encodeURIComponent(id)}/login`, {
      method: 'POST',
      headers: this.consoleToken ? { 'x-roster-sandbox-token': this.consoleToken } : {},
    });
    if (!res.ok) throw new Error(`login ${id}: ${res.status} ${await res.text()}`);
  }
}
