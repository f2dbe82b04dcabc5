import { describe, expect, it } from 'vitest';
import type { KindSession } from '../kind-operations.js';
import { silentLogger } from '../logger.js';
import type { Progress } from '../progress.js';
import { Connections, refresh } from './refresh.js';

/** A connection whose lists resolve in the order `release` is called. */
function held() {
  const waiting = new Map<string, () => void>();
  const conn = {
    list: ({ kind }: { kind: string }) =>
      new Promise((resolve) => waiting.set(kind, () => resolve({ objects: [] }))),
  } as unknown as KindSession;
  return { conn, release: (kind: string) => waiting.get(kind)?.() };
}

describe('refresh progress', () => {
  it('counts each kind listed of all kinds to read, naming the first still being read', async () => {
    const a = held();
    const b = held();
    const connections = new Connections();
    connections.byName.set('a', a.conn);
    connections.byName.set('b', b.conn);
    const seen: Progress[] = [];
    const done = refresh({
      connections,
      kinds: new Map([
        ['a', new Set(['User', 'Role'])],
        ['b', new Set(['Group'])],
      ]),
      unreadable: (_p, k) => k === 'Role',
      log: silentLogger,
      onProgress: (p) => seen.push(p),
    });
    b.release('Group');
    await new Promise((r) => setImmediate(r));
    a.release('User');
    await done;
    expect(seen).toEqual([
      { phase: 'refresh', done: 1, total: 2, current: 'a/User' },
      { phase: 'refresh', done: 2, total: 2, current: 'a/User' },
    ]);
  });

  it('counts kinds read object by object too', async () => {
    const conn = {
      read: async ({ id }: { id: string }) => ({ object: { id, naturalKey: 'u', attributes: {} } }),
    } as unknown as KindSession;
    const connections = new Connections();
    connections.byName.set('a', conn);
    const seen: Progress[] = [];
    const resource = { provider: 'a', kind: 'User', name: 'u', id: '1', naturalKey: 'u' };
    const { remote } = await refresh({
      connections,
      kinds: new Map([['a', new Set(['User'])]]),
      log: silentLogger,
      mode: 'per-object',
      state: {
        version: 1,
        lineage: 'L',
        serial: 1,
        resources: { 'a/User/u': resource as never },
      },
      desired: [{ address: 'a/User/u', provider: 'a', kind: 'User' }],
      onProgress: (p) => seen.push(p),
    });
    expect(
      remote
        .get('a')
        ?.get('User')
        ?.map((o) => o.id),
    ).toEqual(['1']);
    expect(seen).toEqual([{ phase: 'refresh', done: 1, total: 1, current: 'a/User' }]);
  });
});
