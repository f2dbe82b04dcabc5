import type { ConfiguredProvider, ConnectRequest, Provider, ProviderConnection } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { withConnections } from './connections.js';
import type { RunContext } from './context.js';

/** A provider that records what it was asked to connect with, and when its connection closes. */
function recording() {
  const seen: { requests: ConnectRequest[]; closed: number } = { requests: [], closed: 0 };
  const connection = { close: async () => void seen.closed++, stats: () => ({ apiCalls: 0, throttled: 0 }) };
  const provider = {
    type: 'rec',
    kinds: {},
    connect: async (req: ConnectRequest) => {
      seen.requests.push(req);
      return connection as unknown as ProviderConnection;
    },
  } as unknown as Provider;
  const configured: ConfiguredProvider = {
    name: 'r',
    provider,
    document: undefined as never,
    config: { type: 'rec' },
    credentials: {},
    sandbox: false,
  };
  return { seen, configured };
}

const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as RunContext['log'];
const ctx = { cwd: '/', log, stateDir: '/nonexistent/.roster' } as unknown as RunContext;

describe('withConnections', () => {
  it("connects with the run's state directory, logger and --api-budget, and closes after use", async () => {
    const { seen, configured } = recording();
    const got = await withConnections(
      ctx,
      { apiBudget: 0.25 },
      { providers: [configured], readOnly: true },
      async (c) => {
        expect(seen.closed).toBe(0);
        return [...c.byName.keys()];
      },
    );
    expect(got).toEqual(['r']);
    expect(seen.closed).toBe(1);
    expect(seen.requests).toHaveLength(1);
    expect(seen.requests[0]).toMatchObject({ name: 'r', readOnly: true, apiBudget: 0.25, log });
  });

  it('passes no budget when the command has none', async () => {
    const { seen, configured } = recording();
    await withConnections(ctx, {}, { providers: [configured], readOnly: false }, async () => undefined);
    expect(seen.requests[0]).not.toHaveProperty('apiBudget');
    expect(seen.requests[0]?.readOnly).toBe(false);
  });

  it('closes the connections when the work fails, and lets the failure through', async () => {
    const { seen, configured } = recording();
    await expect(
      withConnections(ctx, {}, { providers: [configured], readOnly: true }, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen.closed).toBe(1);
  });
});
