import { SANDBOX_TRACKING_IDENTIFIER } from '../config.js';

/** A JSON body as tests explore it. */
// biome-ignore lint/suspicious/noExplicitAny: tests read answers freely; a wrong path fails the assertion anyway
export type Json = any;

export const TEST_HEADERS = {
  // The tracking identifier of a sandbox's calling user when no credentials are declared.
  ApiIntegrationCode: SANDBOX_TRACKING_IDENTIFIER,
  UserName: 'roster@example.com',
  Secret: 'test-secret',
};

/** A bare HTTP caller of the simulator for tests: no retries, every status visible. */
export class RawApi {
  constructor(
    readonly url: string,
    readonly headers: Record<string, string> = TEST_HEADERS,
    /** The console's per-run secret (`sim.consoleToken`), for `console`. */
    readonly consoleToken?: string,
  ) {}

  /** A REST call (`path` under `/ATServicesRest/V1.0`, or absolute `/…`), with the credential headers. */
  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = this.headers,
  ): Promise<{ status: number; json: Json; headers: Headers }> {
    const full = path.startsWith('http')
      ? path
      : `${this.url}${path.startsWith('/__') || path.startsWith('/ATServicesRest') ? '' : '/ATServicesRest/V1.0'}${path}`;
    const res = await fetch(full, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: Json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, json, headers: res.headers };
  }

  /** A console call (`/__sandbox/…`), failing the test on an error status. */
  async console(method: string, path: string, body?: unknown): Promise<Json> {
    const r = await this.call(
      method,
      `/__sandbox${path}`,
      body,
      this.consoleToken ? { 'x-roster-sandbox-token': this.consoleToken } : {},
    );
    if (r.status >= 300)
      throw new Error(`${method} /__sandbox${path}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  }

  query(body: Record<string, unknown>) {
    return this.call('POST', '/Resources/query', body);
  }

  /** Make a security level (copy of the recommended API level) and an API user with it, through the console. */
  async apiUser(
    email: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: number; username: string; secret: string } & Json> {
    const levels: Json[] = await this.console('GET', '/security-levels');
    const level = levels.find((l) => l.name === "API User (system) Can't Read Costs (API-only)");
    return this.console('POST', '/api-users', {
      firstName: 'Api',
      lastName: email.split('@')[0],
      email,
      securityLevel: level.id,
      integrationVendor: 'Office Protect - Alert Integration',
      ...extra,
    });
  }
}
