import { setTimeout as sleep } from 'node:timers/promises';
import type { OperateRequest, OperateResult, RemoteObject, SandboxConsole } from '@roster/core';
import { consoleHeaders } from '@roster/sim-kit';
import type { ExportSource } from '../client/source.js';
import { exportObjects } from '../client/to-remote.js';
import { describeOwner, ownerOfKey, refNames } from '../kinds/common.js';

/** A console answer. */
export interface ConsoleAnswer {
  status: number;
  json: unknown;
}

/** The console refused a step (what the UI would have said), or could not be reached. */
export class SandboxConsoleError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SandboxConsoleError';
  }
}

export interface ConsoleClientOptions {
  fetch?: typeof fetch;
  /** Attempts per request when the console answers 429/5xx or drops the connection (default 8). */
  attempts?: number;
  /** Longest wait between attempts, in ms (default 2000; `Retry-After` is honoured up to it). */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<unknown>;
  /** The console's per-run secret (`x-roster-sandbox-token`). */
  consoleToken?: string;
}

/**
 * The sandbox's admin console (`/__sandbox/…`), as the sandbox operator uses it: what a person does
 * in Proliance's UI. Like a person whose page failed to load, it tries again on 429, 5xx and dropped
 * connections; the operator makes each step safe to repeat.
 */
export class ConsoleClient {
  readonly origin: string;
  readonly #fetch: typeof fetch;
  readonly #attempts: number;
  readonly #maxDelay: number;
  readonly #sleep: (ms: number) => Promise<unknown>;
  readonly #token: string | undefined;

  constructor(origin: string, opts: ConsoleClientOptions = {}) {
    this.#token = opts.consoleToken;
    this.origin = new URL(origin).origin;
    this.#fetch = opts.fetch ?? globalThis.fetch;
    this.#attempts = opts.attempts ?? 8;
    this.#maxDelay = opts.maxDelayMs ?? 2_000;
    this.#sleep = opts.sleep ?? ((ms) => sleep(ms));
  }

  /** `method /__sandbox{path}`; a status ≥ 400 not in `accept` throws with the console's message. */
  async call(
    method: string,
    path: string,
    what: string,
    body?: unknown,
    accept: number[] = [],
  ): Promise<ConsoleAnswer> {
    let last = '';
    for (let attempt = 1; ; attempt++) {
      let res: Response | undefined;
      try {
        res = await this.#fetch(`${this.origin}/__sandbox${path}`, {
          method,
          headers: consoleHeaders(this.#token),
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (err) {
        last = (err as Error).message;
      }
      if (res && res.status !== 429 && res.status < 500) {
        const text = await res.text();
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = text;
        }
        if (res.status >= 400 && !accept.includes(res.status)) {
          const said = (json as { error?: unknown } | undefined)?.error;
          throw new SandboxConsoleError(
            `the Proliance sandbox refused to ${what}: ${typeof said === 'string' ? said : text.slice(0, 200)} (HTTP ${res.status})`,
            res.status,
          );
        }
        return { status: res.status, json };
      }
      if (res) {
        last = `HTTP ${res.status}`;
        await res.arrayBuffer().catch(() => undefined);
      }
      if (attempt >= this.#attempts) {
        throw new SandboxConsoleError(
          `the Proliance sandbox console could not ${what} after ${attempt} attempts (${last})`,
          res?.status ?? 0,
        );
      }
      const retryAfter = Number(res?.headers.get('retry-after'));
      const backoff = Math.min(this.#maxDelay, 25 * 2 ** (attempt - 1));
      await this.#sleep(
        Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(this.#maxDelay, retryAfter * 1000) : backoff,
      );
    }
  }
}

/** Who the operator's changes are recorded as made by. */
export const OPERATOR_AUTHOR = 'roster sandbox operator';

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

function pick(from: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in from && from[k] !== undefined) out[k] = from[k];
  return out;
}

/** A resolved role list (`[{ref, id}]`) as the role names the UI shows. */
const roleNames = (v: unknown) => refNames(v);

/** The account fields of a step, as the console takes them. */
function accountBody(a: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = pick(
    a,
    keys.filter((k) => k !== 'roles' && k !== 'systemIntegration'),
  );
  if (keys.includes('roles') && 'roles' in a) out.roles = roleNames(a.roles);
  if (keys.includes('systemIntegration') && 'systemIntegration' in a)
    out.systemIntegration = isObject(a.systemIntegration) ? a.systemIntegration : null;
  return out;
}

const ACCOUNT_KEYS = ['accountName', 'securityCategory', 'roles', 'systemIntegration', 'active'] as const;
const ROLE_KEYS = ['name', 'description', 'permissions', 'securityPermissions'] as const;

/**
 * The sandbox operator: each manual step done through the console, as a person would in
 * Proliance's UI, then the registers exported again (as the runbook step asks) and the object read
 * back from that export, the same way roster reads a real one.
 *
 * - SecurityLevel create / update / delete → `POST` / `PATCH` / `DELETE /__sandbox/security-roles…`.
 * - ServiceAccount create → `POST /__sandbox/accounts` (refused for a missing or inactive owner, or
 *   one that already has an account); update → `PATCH /__sandbox/accounts/{staff:ID}`; deactivate
 *   (and delete, which Proliance does not offer) → `POST …/deactivate`.
 * - A create repeated after a lost answer finds the object there and brings it to the step's values.
 */
export class SandboxOperator implements SandboxConsole {
  constructor(
    readonly console: () => Promise<ConsoleClient>,
    readonly source: ExportSource,
  ) {}

  async operate(req: OperateRequest): Promise<OperateResult> {
    if (req.operation === 'rotate')
      throw new Error(
        `${req.address}: nothing to rotate (a Proliance integration account cannot log on and holds no credentials)`,
      );
    const c = await this.console();
    let key: string;
    if (req.kind === 'SecurityLevel') key = await this.#role(c, req);
    else if (req.kind === 'ServiceAccount') key = await this.#account(c, req);
    else throw new Error(`Proliance has no kind ${req.kind} (known: ServiceAccount, SecurityLevel)`);
    await c.call('POST', '/export', 'export the registers');
    const object = await this.#find(req.kind, key);
    return object ? { object } : {};
  }

  async #find(kind: string, key: string): Promise<RemoteObject | undefined> {
    const objects = exportObjects(await this.source.load(), kind);
    return (
      objects.find((o) => o.id === key) ??
      objects.find((o) => o.naturalKey.toLowerCase() === key.toLowerCase())
    );
  }

  /** Performs a role step; returns the role's name afterwards. */
  async #role(c: ConsoleClient, req: OperateRequest): Promise<string> {
    const a = req.attributes;
    const name = typeof a.name === 'string' ? a.name : req.naturalKey;
    const path = (n: string) => `/security-roles/${encodeURIComponent(n)}`;
    if (req.operation === 'create') {
      const body = { ...pick(a, ROLE_KEYS), name, by: OPERATOR_AUTHOR };
      const r = await c.call('POST', '/security-roles', `create security role ${name}`, body, [409]);
      // There already (a step repeated after a lost answer): bring it to what the step asks.
      if (r.status === 409) await c.call('PATCH', path(name), `edit security role ${name}`, body);
      return name;
    }
    const current = await this.#findRoleName(c, req);
    if (req.operation === 'delete' || req.operation === 'deactivate') {
      if (current) await c.call('DELETE', path(current), `delete security role ${current}`, undefined, [404]);
      return current ?? name;
    }
    if (!current)
      throw new Error(`the Proliance sandbox has no security role ${req.naturalKey} for ${req.address}`);
    if (req.operation === 'reconfirm') return current;
    const body = pick(req.changes ?? {}, ROLE_KEYS);
    if (Object.keys(body).length === 0) return current;
    const r = await c.call('PATCH', path(current), `edit security role ${current}`, {
      ...body,
      by: OPERATOR_AUTHOR,
    });
    return String((r.json as { name?: unknown }).name ?? name);
  }

  /** The role's current name, by the names a step may carry (it may have been renamed). */
  async #findRoleName(c: ConsoleClient, req: OperateRequest): Promise<string | undefined> {
    const candidates = [req.id, req.prior?.naturalKey, req.naturalKey].filter(
      (x): x is string => typeof x === 'string' && x !== '',
    );
    for (const n of new Set(candidates)) {
      const r = await c.call(
        'GET',
        `/security-roles/${encodeURIComponent(n)}`,
        `open security role ${n}`,
        undefined,
        [404],
      );
      if (r.status === 200) return String((r.json as { name: unknown }).name);
    }
    return undefined;
  }

  /** Performs an account step; returns the account's key (`staff:<ID>`). */
  async #account(c: ConsoleClient, req: OperateRequest): Promise<string> {
    const key = req.id ?? req.naturalKey;
    const owner = ownerOfKey(key);
    if (!owner) throw new Error(`${req.address}: ${key} is not staff:<ID> or contact:<ID>`);
    const who = describeOwner(owner.type, owner.id);
    const path = `/accounts/${encodeURIComponent(key)}`;
    switch (req.operation) {
      case 'create': {
        const fields = accountBody(req.attributes, ACCOUNT_KEYS);
        const body = { owner: req.attributes.owner, ...fields, by: OPERATOR_AUTHOR };
        const made = await c.call(
          'POST',
          '/accounts',
          `create the integration account of ${who}`,
          body,
          [409],
        );
        if (made.status === 409) {
          // A step repeated after a lost answer finds its own account: bring it to the step's values.
          const there = await c.call('GET', path, `open the account of ${who}`, undefined, [404]);
          const mine =
            there.status === 200 &&
            (there.json as { accountType?: unknown }).accountType === 'integration' &&
            (there.json as { accountName?: unknown }).accountName === fields.accountName;
          if (!mine) {
            throw new Error(
              `the Proliance sandbox refused to create the integration account of ${who}: ${String((made.json as { error?: unknown }).error)} (HTTP 409)`,
            );
          }
          await c.call('PATCH', path, `edit the account of ${who}`, { ...fields, by: OPERATOR_AUTHOR });
        }
        return key;
      }
      case 'update': {
        const changes = req.changes ?? {};
        const body = accountBody(changes, Object.keys(changes));
        if (Object.keys(body).length > 0)
          await c.call('PATCH', path, `edit the account of ${who}`, { ...body, by: OPERATOR_AUTHOR });
        return key;
      }
      case 'deactivate':
      case 'delete':
        await c.call(
          'POST',
          `${path}/deactivate`,
          `deactivate the account of ${who}`,
          { by: OPERATOR_AUTHOR },
          [404],
        );
        return key;
      case 'reconfirm':
        return key;
      default:
        throw new Error(`${req.address}: the Proliance sandbox cannot ${req.operation} an account`);
    }
  }
}
