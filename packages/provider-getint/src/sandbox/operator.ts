import type { OperateRequest, OperateResult, RemoteObject, SandboxConsole } from '@roster/core';
import { consoleHeaders } from '@roster/sim-kit';

/**
 * The sandbox's admin console as the sandbox operator uses it (`apply --sandbox-operator`): each
 * manual step done through `/__sandbox/connections`, as a person would in Getint's Workflows ›
 * Connections.
 */
export class GetintOperator implements SandboxConsole {
  constructor(
    private readonly url: string,
    /** The console's per-run secret (`StartedSandbox.consoleToken`). */
    private readonly token?: string,
  ) {}

  async #call(method: string, route: string, body?: unknown): Promise<Record<string, unknown> | undefined> {
    const res = await fetch(`${this.url}/__sandbox/${route}`, {
      method,
      headers: consoleHeaders(this.token),
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

  /** A manual step done through the console. */
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
