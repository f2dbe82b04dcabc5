import type {
  ConnectionStats,
  OperateRequest,
  OperateResult,
  ProviderConnection,
  RemoteObject,
} from '@roster/core';
import { consoleHeaders } from '@roster/sim-kit';

/**
 * A connection to Getint. There is nothing to call: Getint has no management API, so the connection
 * has none of the CRUD methods; every operation is a manual step, and connections are kept from
 * state (capability `read: none`). With a sandbox, `operate` does the step through the sandbox
 * console, as a person would in Getint's UI.
 */
export class GetintConnection implements ProviderConnection {
  #calls = 0;
  constructor(
    private readonly consoleUrl: string | undefined,
    private readonly onClose?: () => Promise<void>,
    /** The console's per-run secret (the embedded console's, or `ROSTER_SANDBOX_CONSOLE_TOKEN`). */
    private readonly consoleToken?: string,
  ) {}

  stats(): ConnectionStats {
    return { apiCalls: this.#calls, throttled: 0 };
  }

  async close(): Promise<void> {
    await this.onClose?.();
  }

  async #call(method: string, route: string, body?: unknown): Promise<Record<string, unknown> | undefined> {
    if (!this.consoleUrl) throw new Error('manual steps on a real Getint instance are done by a person');
    this.#calls += 1;
    const res = await fetch(`${this.consoleUrl}/__sandbox/${route}`, {
      method,
      headers: consoleHeaders(this.consoleToken),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) {
      const errors = (() => {
        try {
          return (JSON.parse(text) as { errors?: string[] }).errors?.join('; ');
        } catch {
          return text.slice(0, 200);
        }
      })();
      throw new Error(`the Getint sandbox refused ${method} ${route}: ${errors} (HTTP ${res.status})`);
    }
    return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  }

  /** Sandbox only: a manual step done through the console. */
  async operate(req: OperateRequest): Promise<OperateResult> {
    const object = (c: Record<string, unknown> | undefined): RemoteObject => ({
      id: String(c?.id ?? req.id ?? req.naturalKey),
      naturalKey: String(c?.name ?? req.naturalKey),
      attributes: {},
    });
    const a = req.attributes;
    const target = encodeURIComponent(req.id ?? req.naturalKey);
    switch (req.operation) {
      case 'create':
        return {
          object: object(
            await this.#call('POST', 'connections', {
              name: a.name ?? req.naturalKey,
              app: a.app,
              url: a.url,
              sharing: a.sharing,
              account: a.account,
            }),
          ),
        };
      case 'update': {
        const c = req.changes ?? {};
        const patch: Record<string, unknown> = {};
        for (const k of ['url', 'sharing', 'account'] as const) if (k in c) patch[k] = c[k];
        return { object: object(await this.#call('PATCH', `connections/${target}`, patch)) };
      }
      case 'rotate':
        return { object: object(await this.#call('PATCH', `connections/${target}`, { newToken: true })) };
      case 'reconfirm': {
        const shown = await this.#call('GET', `connections/${target}`);
        const differs = (['url', 'sharing'] as const).filter((k) => k in a && shown?.[k] !== a[k]);
        if (differs.length > 0)
          throw new Error(
            `cannot confirm ${req.address}: the sandbox shows a different ${differs.join(', ')}`,
          );
        return { object: object(shown) };
      }
      case 'deactivate':
      case 'delete':
        await this.#call('DELETE', `connections/${target}`);
        return {};
    }
  }
}
