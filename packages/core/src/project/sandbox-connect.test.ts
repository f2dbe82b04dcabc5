import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import type { ConnectRequest, Provider, ProviderConnection } from '../provider.js';
import type { SandboxHost, SandboxStartRequest } from '../sandbox-host.js';
import { Secret } from '../secret.js';
import type { ConfiguredProvider } from './project.js';
import { Connections } from './refresh.js';

const stateDir = mkdtempSync(path.join(tmpdir(), 'roster-sandbox-connect-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

function setup(endpoint: string) {
  const events: string[] = [];
  const connected: ConnectRequest[] = [];
  const provider = {
    type: 'sim',
    kinds: {},
    connect: async (req: ConnectRequest) => {
      connected.push(req);
      events.push(`connect ${String(req.config.endpoint)}`);
      return {
        stats: () => ({ apiCalls: 0, throttled: 0 }),
        close: async () => void events.push('close connection'),
      } satisfies ProviderConnection;
    },
  } as unknown as Provider;
  const started: SandboxStartRequest[] = [];
  const host: SandboxHost = {
    async start(req) {
      started.push(req);
      events.push('start sandbox');
      return {
        config: { ...req.config, endpoint: 'http://127.0.0.1:4000' },
        consoleToken: 'console-secret',
        close: async () => void events.push('close sandbox'),
      };
    },
    console: (req) => ({
      operate: async (op) => {
        events.push(`operate ${op.operation} on ${String(req.config.endpoint)} with ${req.token}`);
        return {};
      },
    }),
  };
  const configured: ConfiguredProvider = {
    name: 's',
    provider,
    document: undefined as never,
    config: { type: 'sim', endpoint },
    credentials: { password: new Secret('pw', 'env:PW') },
    readCredentials: { password: new Secret('ro', 'env:RO') },
    sandbox: endpoint === 'sandbox',
  };
  const loads: string[] = [];
  const sandboxes = async (type: string) => {
    loads.push(type);
    return host;
  };
  return { events, connected, started, configured, sandboxes, loads };
}

/** Read-only connections to the set-up provider, through its sandbox loader. */
const openReadOnly = (t: ReturnType<typeof setup>) =>
  Connections.open({
    providers: [t.configured],
    stateDir,
    readOnly: true,
    log: silentLogger,
    sandboxes: t.sandboxes,
  });

describe('Connections.open with a provider sandbox', () => {
  it('starts the sandbox, connects to the address it gives, puts its console on the session, and closes both', async () => {
    const t = setup('sandbox');
    const c = await openReadOnly(t);
    expect(t.started[0]).toMatchObject({
      name: 's',
      readCredentials: true,
      dir: path.join(stateDir, 'sandbox', 's'),
    });
    expect(t.started[0]?.credentials.password?.reveal()).toBe('ro');
    expect(t.connected[0]?.config.endpoint).toBe('http://127.0.0.1:4000');
    await c.byName.get('s')!.operate!({
      kind: 'K',
      operation: 'create',
      address: 's/K/a',
      name: 'a',
      naturalKey: 'a',
      attributes: {},
    });
    await c.close();
    expect(t.events).toEqual([
      'start sandbox',
      'connect http://127.0.0.1:4000',
      'operate create on http://127.0.0.1:4000 with console-secret',
      'close connection',
      'close sandbox',
    ]);
  });

  it('never loads a sandbox for a real endpoint', async () => {
    const t = setup('https://example.com');
    const c = await openReadOnly(t);
    await c.close();
    expect(t.loads).toEqual([]);
    expect(t.events).toEqual(['connect https://example.com', 'close connection']);
    expect(c.byName.size).toBe(0);
  });
});
