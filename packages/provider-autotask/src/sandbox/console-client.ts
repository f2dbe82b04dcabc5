import { consoleHeaders } from '@roster/sim-kit';
import type { SecurityLevelRec } from './records.js';

/** An API user as the sandbox console shows it (never its secret, except right after it is generated). */
export interface ConsoleApiUser {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  username: string;
  active: boolean;
  locked: boolean;
  securityLevel: string | null;
  securityLevelId: string;
  integrationVendor: string;
  secretSetAt: string;
  createdAt: string;
}

/** A security level as the sandbox console shows it: the record, its key as `id`. */
export type ConsoleSecurityLevel = Omit<SecurityLevelRec, 'key'> & { id: string };

/** The console refused a step (what the UI form would have said), or could not be reached. */
export class SandboxConsoleError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SandboxConsoleError';
  }
}

/**
 * The simulator's admin console (`/__sandbox/…`) over HTTP, as the sandbox operator uses it: it does in the
 * sandbox what a person does in the Autotask UI. Answers that carry a generated secret are returned
 * to the caller only, never logged.
 */
export class ConsoleClient {
  readonly #base: string;
  readonly #fetch: typeof fetch;
  readonly #token: string | undefined;
  /** `consoleToken`: the console's per-run secret (the embedded simulator's, or `ROSTER_SANDBOX_CONSOLE_TOKEN`). */
  constructor(baseUrl: string, fetchImpl: typeof fetch = globalThis.fetch, consoleToken?: string) {
    this.#base = new URL(baseUrl).origin;
    this.#fetch = fetchImpl;
    this.#token = consoleToken;
  }

  async #call<T>(method: string, path: string, what: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.#fetch(`${this.#base}/__sandbox${path}`, {
        method,
        headers: consoleHeaders(this.#token),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new SandboxConsoleError(
        `the sandbox console could not be reached to ${what} (${(err as Error).message})`,
        0,
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.status >= 400) {
      const errors = (json as { errors?: unknown } | undefined)?.errors;
      const said = Array.isArray(errors) ? errors.join('; ') : text.slice(0, 200);
      throw new SandboxConsoleError(
        `the sandbox refused to ${what}: ${said} (HTTP ${res.status})`,
        res.status,
      );
    }
    return json as T;
  }

  createSecurityLevel(body: Record<string, unknown>): Promise<ConsoleSecurityLevel> {
    return this.#call('POST', '/security-levels', `create security level ${String(body.name)}`, body);
  }

  editSecurityLevel(idOrName: string, body: Record<string, unknown>): Promise<ConsoleSecurityLevel> {
    return this.#call(
      'PATCH',
      `/security-levels/${encodeURIComponent(idOrName)}`,
      `edit security level ${idOrName}`,
      body,
    );
  }

  getSecurityLevel(idOrName: string): Promise<ConsoleSecurityLevel> {
    return this.#call(
      'GET',
      `/security-levels/${encodeURIComponent(idOrName)}`,
      `open security level ${idOrName}`,
    );
  }

  /** New API User › Save & Close: the answer carries the generated secret, once. */
  /** New API User › Save & Close: the answer carries the secret and the API tracking identifier, once. */
  createApiUser(
    body: Record<string, unknown>,
  ): Promise<ConsoleApiUser & { secret: string; trackingIdentifier: string }> {
    return this.#call('POST', '/api-users', `create API user ${String(body.email)}`, body);
  }

  editApiUser(id: string, body: Record<string, unknown>): Promise<ConsoleApiUser> {
    return this.#call('PATCH', `/api-users/${encodeURIComponent(id)}`, `edit API user ${id}`, body);
  }

  /** Edit › Generate Secret › Save & Close: the answer carries the new secret, once. */
  generateSecret(id: string): Promise<ConsoleApiUser & { secret: string }> {
    return this.#call('POST', `/api-users/${encodeURIComponent(id)}/secret`, `generate a secret for ${id}`);
  }

  getApiUser(id: string): Promise<ConsoleApiUser> {
    return this.#call('GET', `/api-users/${encodeURIComponent(id)}`, `open API user ${id}`);
  }
}
