import {
  type OperateRequest,
  type OperateResult,
  type RemoteObject,
  type SandboxConsole,
  Secret,
} from '@roster/core';
import { consoleHeaders } from '@roster/sim-kit';
import type { AfasContext } from '../connection.js';
import { refName, refNames } from '../kinds/common.js';
import { readGroup } from '../kinds/group/api.js';
import { readServiceAccount } from '../kinds/service-account/api.js';

/** A console answer. */
interface ConsoleAnswer {
  status: number;
  json: unknown;
}

/** An app connector as the console shows it. */
export interface ConsoleAppConnector {
  id: string;
  description: string;
  group: string;
  getConnectors: string[];
  updateConnectors: string[];
  blocked: boolean;
}

/** A request the sandbox console refused. */
export class SandboxConsoleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxConsoleError';
  }
}

/** The simulator's admin console (`/__sandbox/…`), which stands in for Profit's UI. */
export class ConsoleClient {
  readonly #origin: string;
  readonly #fetch: typeof fetch;
  readonly #token: string | undefined;
  /** `consoleToken`: the console's per-run secret (the embedded simulator's, or `ROSTER_SANDBOX_CONSOLE_TOKEN`). */
  constructor(origin: string, fetchImpl: typeof fetch = globalThis.fetch, consoleToken?: string) {
    this.#origin = origin.replace(/\/+$/, '');
    this.#fetch = fetchImpl;
    this.#token = consoleToken;
  }

  /** The console's origin for a sandbox's ProfitRestServices URL. */
  static forApi(apiUrl: string, fetchImpl?: typeof fetch, consoleToken?: string): ConsoleClient {
    return new ConsoleClient(new URL(apiUrl).origin, fetchImpl, consoleToken);
  }

  async call(method: string, path: string, body?: unknown, accept: number[] = []): Promise<ConsoleAnswer> {
    const res = await this.#fetch(`${this.#origin}/__sandbox${path}`, {
      method,
      headers: consoleHeaders(this.#token),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (res.status >= 400 && !accept.includes(res.status)) {
      const message = (json as { error?: string } | undefined)?.error ?? `HTTP ${res.status}`;
      throw new SandboxConsoleError(res.status, `sandbox console: ${method} ${path}: ${message}`);
    }
    return { status: res.status, json };
  }

  async appConnectors(): Promise<ConsoleAppConnector[]> {
    return (await this.call('GET', '/app-connectors')).json as ConsoleAppConnector[];
  }

  /** An app connector by console id, or else by description (how roster identifies it). */
  async findAppConnector(
    id: string | undefined,
    description: string | undefined,
  ): Promise<ConsoleAppConnector | undefined> {
    const all = await this.appConnectors();
    return (
      (id ? all.find((a) => a.id === id) : undefined) ??
      (description ? all.find((a) => a.description.toLowerCase() === description.toLowerCase()) : undefined)
    );
  }
}

/** An app connector in spec shape. */
export function appConnectorToRemote(a: ConsoleAppConnector): RemoteObject {
  return {
    id: a.id,
    naturalKey: a.description,
    attributes: {
      description: a.description,
      group: { ref: a.group },
      getConnectors: [...a.getConnectors],
      updateConnectors: [...a.updateConnectors],
      blocked: a.blocked,
    },
  };
}

/** What the console shows of an app connector that differs from the attributes a step confirms. */
function appConnectorDifferences(a: Record<string, unknown>, shown: ConsoleAppConnector): string[] {
  const out: string[] = [];
  const group = refName(a.group);
  if (group !== undefined && group.toLowerCase() !== shown.group.toLowerCase())
    out.push(`user group is ${shown.group}, not ${group}`);
  const set = (v: readonly unknown[]) => JSON.stringify([...v].map(String).sort());
  for (const k of ['getConnectors', 'updateConnectors'] as const) {
    const want = a[k];
    if (Array.isArray(want) && set(want) !== set(shown[k]))
      out.push(`${k} are ${shown[k].join(', ') || 'none'}, not ${want.join(', ') || 'none'}`);
  }
  if (typeof a.blocked === 'boolean' && a.blocked !== shown.blocked)
    out.push(`blocked is ${shown.blocked}, not ${a.blocked}`);
  return out;
}

/** The console's PATCH body for app connector attributes (references by their natural key). */
function appConnectorPatch(c: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof c.description === 'string') out.description = c.description;
  const group = refName(c.group);
  if (group) out.group = group;
  if (Array.isArray(c.getConnectors)) out.getConnectors = c.getConnectors;
  if (Array.isArray(c.updateConnectors)) out.updateConnectors = c.updateConnectors;
  if (typeof c.blocked === 'boolean') out.blocked = c.blocked;
  return out;
}

/**
 * The sandbox operator: performs each manual step the way an operator would in Profit's UI, through
 * the console, and reads the result back through the API where the API can. A token issued for a
 * ServiceAccount is returned as a `Secret` (named only by its origin), never logged.
 */
export class SandboxOperator implements SandboxConsole {
  constructor(
    readonly console: ConsoleClient,
    readonly ctx: AfasContext,
  ) {}

  async operate(req: OperateRequest): Promise<OperateResult> {
    switch (req.kind) {
      case 'Group':
        return this.#group(req);
      case 'Connector':
        return this.#connector(req);
      case 'ServiceAccount':
        return this.#serviceAccount(req);
      default:
        throw new Error(`AFAS Profit has no kind ${req.kind}`);
    }
  }

  async #group(req: OperateRequest): Promise<OperateResult> {
    const id = req.naturalKey;
    const path = `/groups/${encodeURIComponent(id)}`;
    switch (req.operation) {
      case 'create': {
        const description = String(req.attributes.description ?? id);
        const r = await this.console.call('POST', '/groups', { id, description }, [409]);
        // Already there (a step repeated after a crash): bring it to what the step asks.
        if (r.status === 409) await this.console.call('PATCH', path, { description });
        break;
      }
      case 'update':
        if (typeof req.changes?.description === 'string') {
          await this.console.call('PATCH', path, { description: req.changes.description });
        }
        break;
      case 'delete':
      case 'deactivate':
        await this.console.call('DELETE', path, undefined, [404]);
        return {};
      case 'reconfirm':
        break;
    }
    const object = await readGroup(this.ctx, id);
    return object ? { object } : {};
  }

  async #connector(req: OperateRequest): Promise<OperateResult> {
    const description = req.naturalKey;
    if (req.operation === 'create') {
      const body = {
        description,
        group: refName(req.attributes.group),
        getConnectors: req.attributes.getConnectors ?? [],
        updateConnectors: req.attributes.updateConnectors ?? [],
      };
      const r = await this.console.call('POST', '/app-connectors', body, [409]);
      let created = r.json as ConsoleAppConnector;
      if (r.status === 409) {
        const existing = await this.console.findAppConnector(undefined, description);
        if (!existing)
          throw new Error(`sandbox console: app connector '${description}' exists but cannot be found`);
        created = (
          await this.console.call('PATCH', `/app-connectors/${existing.id}`, appConnectorPatch(body))
        ).json as ConsoleAppConnector;
      }
      if (req.attributes.blocked === false) {
        created = (await this.console.call('PATCH', `/app-connectors/${created.id}`, { blocked: false }))
          .json as ConsoleAppConnector;
      }
      return { object: appConnectorToRemote(created) };
    }
    const found = await this.console.findAppConnector(req.id, req.prior?.naturalKey ?? description);
    if (!found) {
      if (req.operation === 'delete' || req.operation === 'deactivate') return {};
      throw new Error(`app connector '${description}' does not exist in the sandbox`);
    }
    if (req.operation === 'delete' || req.operation === 'deactivate') {
      await this.console.call('DELETE', `/app-connectors/${found.id}`, undefined, [404]);
      return {};
    }
    if (req.operation === 'reconfirm') {
      // An honest operator refuses to confirm what the screen shows otherwise: the attributes of an
      // app connector cannot be read by API, so this confirmation is all roster has of them.
      const differences = appConnectorDifferences(req.attributes, found);
      if (differences.length > 0)
        throw new Error(
          `cannot confirm ${req.address}: the sandbox shows that its ${differences.join('; ')}`,
        );
      return { object: appConnectorToRemote(found) };
    }
    const patch = appConnectorPatch(req.changes ?? {});
    if (Object.keys(patch).length === 0) return { object: appConnectorToRemote(found) };
    const updated = (await this.console.call('PATCH', `/app-connectors/${found.id}`, patch))
      .json as ConsoleAppConnector;
    return { object: appConnectorToRemote(updated) };
  }

  async #serviceAccount(original: OperateRequest): Promise<OperateResult> {
    // Rotating a token is issuing a new one on the same app connector (the old one is deleted).
    const req: OperateRequest =
      original.operation === 'rotate'
        ? {
            ...original,
            operation: 'update',
            changes: { connector: original.attributes.connector },
          }
        : original;
    const userId = req.naturalKey;
    if (req.operation !== 'update' && req.operation !== 'reconfirm') {
      throw new Error(`a ServiceAccount's ${req.operation} is done through the API (KnUser), not by hand`);
    }
    const connectorRef = req.changes?.connector ?? req.attributes.connector;
    const description = refName(connectorRef);
    if (!description) {
      const object = await readServiceAccount(this.ctx, userId);
      return object ? { object } : {};
    }
    const target = await this.console.findAppConnector((connectorRef as { id?: string }).id, description);
    if (!target) throw new Error(`app connector '${description}' does not exist in the sandbox`);
    const tokensPath = `/app-connectors/${target.id}/tokens`;
    if (req.operation === 'reconfirm') {
      const tokens = (await this.console.call('GET', `${tokensPath}?userId=${encodeURIComponent(userId)}`))
        .json as unknown[];
      if (tokens.length === 0)
        throw new Error(`${userId} holds no token on app connector '${target.description}'`);
      const object = await readServiceAccount(this.ctx, userId);
      return object ? { object } : {};
    }
    // Replacing a token means deleting the old one first (it cannot be shown again).
    const previous = refNames(req.prior?.attributes.connector)[0];
    const places = [target];
    if (previous && previous.toLowerCase() !== target.description.toLowerCase()) {
      const old = await this.console.findAppConnector(undefined, previous);
      if (old) places.push(old);
    }
    for (const place of places) {
      const path = `/app-connectors/${place.id}/tokens`;
      const tokens = (await this.console.call('GET', `${path}?userId=${encodeURIComponent(userId)}`))
        .json as Array<{
        id: string;
      }>;
      for (const t of tokens) await this.console.call('DELETE', `${path}/${t.id}`, undefined, [404]);
    }
    const issued = (
      await this.console.call('POST', tokensPath, {
        userId,
        description: `roster: ${req.address.split('/').pop()}`,
      })
    ).json as { token: string };
    const read = await readServiceAccount(this.ctx, userId);
    // The API cannot show tokens; the operator saw this one issued, so the object says so.
    const object = read && {
      ...read,
      attributes: { ...read.attributes, connector: { ref: target.description } },
    };
    return {
      ...(object ? { object } : {}),
      secrets: { token: new Secret(issued.token, `afas-sandbox:app-connector/${target.id}/user-token`) },
    };
  }
}
