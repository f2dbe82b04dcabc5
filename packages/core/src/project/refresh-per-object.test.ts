import { describe, expect, it } from 'vitest';
import type { KindSession } from '../kind-operations.js';
import type { Logger } from '../logger.js';
import { desired, emptyState, plan } from '../plan/fixtures.testing.js';
import { remoteFingerprint } from '../plan/remote-fingerprint.js';
import type { RemoteSnapshot } from '../plan/remote-snapshot.js';
import type { RemoteObject } from '../provider.js';
import type { StateDocument, StateResource } from '../state/types.js';
import { Connections, refresh } from './refresh.js';

/** A fake system: its objects per kind, and every call made to it. */
function fakeSystem(objects: Record<string, RemoteObject[]>, opts: { readThrows?: string } = {}) {
  const calls = { list: [] as string[], read: [] as string[] };
  const conn: KindSession = {
    list: async ({ kind }) => {
      calls.list.push(kind);
      return { objects: structuredClone(objects[kind] ?? []) };
    },
    read: async ({ kind, id }) => {
      calls.read.push(`${kind}:${id}`);
      await new Promise((r) => setTimeout(r, 2));
      if (opts.readThrows === kind) throw new Error(`cannot read ${kind} by id`);
      const o = objects[kind]?.find((x) => x.id === id);
      return { object: o ? structuredClone(o) : undefined };
    },
    create: () => Promise.reject(new Error('no')),
    update: () => Promise.reject(new Error('no')),
    delete: () => Promise.reject(new Error('no')),
    stats: () => ({ apiCalls: calls.list.length + calls.read.length, throttled: 0 }),
    close: async () => {},
  };
  return { conn, calls, objects };
}

function connectionsOf(systems: Record<string, KindSession>): Connections {
  const c = new Connections();
  for (const [name, conn] of Object.entries(systems)) c.byName.set(name, conn);
  return c;
}

function capture(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(`warn: ${m}`), debug: (m) => lines.push(m) },
  };
}

const account = (id: string, key: string, extra: Record<string, unknown> = {}): RemoteObject => ({
  id,
  naturalKey: key,
  attributes: { id: key, status: 'active', roles: [{ ref: 'R1' }], ...extra },
  modifiedBy: 'Admin',
  modifiedAt: '2026-01-01T00:00:00Z',
});
const roleObj = (id: string, name: string): RemoteObject => ({ id, naturalKey: name, attributes: { name } });

/** State recording `objects` (as roster applied them) at `p/<Kind>/<naturalKey>`. */
function stateOf(provider: string, entries: Array<[string, RemoteObject]>): StateDocument {
  const resources: Record<string, StateResource> = {};
  for (const [kind, o] of entries) {
    resources[`${provider}/${kind}/${o.naturalKey}`] = {
      provider,
      kind,
      name: o.naturalKey,
      id: o.id,
      naturalKey: o.naturalKey,
      attributes: structuredClone(o.attributes),
      dependencies: [],
      remoteFingerprint: remoteFingerprint(o),
    };
  }
  return { ...emptyState, serial: 4, resources };
}

const desiredOf = (state: StateDocument) =>
  Object.entries(state.resources).map(([address, r]) => ({ address, provider: r.provider, kind: r.kind }));

const kindsOf = (entries: Array<[string, string]>) => {
  const out = new Map<string, Set<string>>();
  for (const [p, k] of entries) out.set(p, new Set([...(out.get(p) ?? []), k]));
  return out;
};

/** The natural keys of provider p's objects of `kind` in a snapshot. */
const keysOf = (remote: RemoteSnapshot, kind: string) =>
  remote
    .get('p')
    ?.get(kind)
    ?.map((o) => o.naturalKey);

/** A per-object refresh of accounts and roles of provider p. */
const perObject = (
  sys: ReturnType<typeof fakeSystem>,
  state: StateDocument,
  declared: ReturnType<typeof desiredOf>,
) =>
  refresh({
    connections: connectionsOf({ p: sys.conn }),
    kinds: kindsOf([
      ['p', 'Account'],
      ['p', 'Role'],
    ]),
    log: capture().log,
    mode: 'per-object',
    state,
    desired: declared,
  });

/** A system of 3 accounts and 1 role, all in state, plus 2 objects nobody declared. */
function everythingInState() {
  const a1 = account('11', 'A1');
  const a2 = account('12', 'A2');
  const a3 = account('13', 'A3');
  const r1 = roleObj('21', 'R1');
  const sys = fakeSystem({
    Account: [a1, a2, a3, account('99', 'HAND_MADE')],
    Role: [r1, roleObj('98', 'R_OTHER')],
  });
  const state = stateOf('p', [
    ['Account', a1],
    ['Account', a2],
    ['Account', a3],
    ['Role', r1],
  ]);
  return { sys, state };
}

describe('refresh per object', () => {
  it('reads each object in state by id and lists no fully recorded kind; bulk lists each kind once', async () => {
    const bulkRun = everythingInState();
    const bulk = await refresh({
      connections: connectionsOf({ p: bulkRun.sys.conn }),
      kinds: kindsOf([
        ['p', 'Account'],
        ['p', 'Role'],
      ]),
      log: capture().log,
    });
    expect(bulkRun.sys.calls.list.sort()).toEqual(['Account', 'Role']);
    expect(bulkRun.sys.calls.read).toEqual([]);

    const perRun = everythingInState();
    const per = await refresh({
      connections: connectionsOf({ p: perRun.sys.conn }),
      kinds: kindsOf([
        ['p', 'Account'],
        ['p', 'Role'],
      ]),
      log: capture().log,
      mode: 'per-object',
      state: perRun.state,
      desired: desiredOf(perRun.state),
    });
    expect(perRun.sys.calls.list).toEqual([]);
    expect(perRun.sys.calls.read.sort()).toEqual(['Account:11', 'Account:12', 'Account:13', 'Role:21']);

    // The same objects as the bulk snapshot for everything in state (the lists also hold the
    // objects nobody declared, which a plan without drift's unmanaged search never looks at).
    const recorded = new Set(Object.values(perRun.state.resources).map((r) => r.id));
    for (const kind of ['Account', 'Role']) {
      expect(per.remote.get('p')?.get(kind)).toEqual(
        bulk.remote
          .get('p')
          ?.get(kind)
          ?.filter((o) => recorded.has(o.id)),
      );
    }
  });

  it('gives the same plan as bulk for a project whose objects are all in state, drift included', async () => {
    const run = everythingInState();
    // Someone changed A2 in the system; the manifests change A3.
    run.sys.objects.Account![1]!.attributes.status = 'locked';
    const want = desiredOf(run.state).map(({ address, kind }) => {
      const r = run.state.resources[address]!;
      const spec = address === 'p/Account/A3' ? { ...r.attributes, roles: [] } : r.attributes;
      return desired(kind, r.name, spec);
    });
    const kinds = kindsOf([
      ['p', 'Account'],
      ['p', 'Role'],
    ]);
    const common = { connections: connectionsOf({ p: run.sys.conn }), kinds, log: capture().log };
    const bulk = await refresh(common);
    const per = await refresh({ ...common, mode: 'per-object', state: run.state, desired: want });
    const planOf = (remote: typeof bulk.remote) =>
      plan({ desired: want, order: want.map((d) => d.address), state: run.state, remote });
    const a = planOf(bulk.remote);
    const b = planOf(per.remote);
    expect(b.changes).toEqual(a.changes);
    expect(b.drift).toEqual(a.drift);
    expect(b.diagnostics).toEqual(a.diagnostics);
    expect(a.changes.map((c) => [c.address, c.action])).toEqual([
      ['p/Account/A2', 'update'],
      ['p/Account/A3', 'update'],
    ]);
    expect(a.drift.map((d) => d.address)).toEqual(['p/Account/A2']);
  });

  it('keeps at most `concurrency` reads in flight across all providers', async () => {
    const many = (prefix: string) =>
      Array.from({ length: 12 }, (_, i) => account(`${prefix}${i}`, `${prefix}${i}`));
    const x = fakeSystem({ Account: many('x') });
    const y = fakeSystem({ Account: many('y') });
    const state: StateDocument = {
      ...emptyState,
      resources: {
        ...stateOf(
          'x',
          x.objects.Account!.map((o) => ['Account', o]),
        ).resources,
        ...stateOf(
          'y',
          y.objects.Account!.map((o) => ['Account', o]),
        ).resources,
      },
    };
    let inFlight = 0;
    let peak = 0;
    const counted = (conn: KindSession): KindSession => ({
      ...conn,
      read: async (req) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        try {
          return await conn.read!(req);
        } finally {
          inFlight -= 1;
        }
      },
    });
    const r = await refresh({
      connections: connectionsOf({ x: counted(x.conn), y: counted(y.conn) }),
      kinds: kindsOf([
        ['x', 'Account'],
        ['y', 'Account'],
      ]),
      log: capture().log,
      mode: 'per-object',
      concurrency: 3,
      state,
      desired: desiredOf(state),
    });
    expect(peak).toBe(3);
    expect(x.calls.read).toHaveLength(12);
    expect(y.calls.read).toHaveLength(12);
    expect(r.remote.get('y')?.get('Account')).toHaveLength(12);
    await expect(
      refresh({
        ...{ connections: connectionsOf({}), kinds: new Map(), log: capture().log },
        mode: 'per-object',
        concurrency: 0,
      }),
    ).rejects.toThrow(/integer from 1 to 64, got 0/);
  });

  it('lists a kind with declared objects not in state, and reads the others', async () => {
    const { sys, state } = everythingInState();
    const want = [...desiredOf(state), { address: 'p/Role/R_OTHER', provider: 'p', kind: 'Role' }];
    const r = await perObject(sys, state, want);
    expect(sys.calls.list).toEqual(['Role']);
    expect(sys.calls.read.sort()).toEqual(['Account:11', 'Account:12', 'Account:13']);
    expect(keysOf(r.remote, 'Role')).toEqual(['R1', 'R_OTHER']);
  });

  it('leaves an object deleted outside roster out of the snapshot; lists its kind when a manifest still declares it', async () => {
    for (const declared of [false, true]) {
      const { sys, state } = everythingInState();
      sys.objects.Account = sys.objects.Account!.filter((o) => o.id !== '12');
      const want = desiredOf(state).filter((d) => declared || d.address !== 'p/Account/A2');
      const r = await perObject(sys, state, want);
      expect(sys.calls.read.filter((c) => c.startsWith('Account:'))).toHaveLength(3);
      if (declared) {
        // The plan looks for A2 by natural key before creating it again: only a list can say.
        expect(sys.calls.list).toEqual(['Account']);
        expect(keysOf(r.remote, 'Account')).toEqual(['A1', 'A3', 'HAND_MADE']);
      } else {
        expect(sys.calls.list).toEqual([]);
        expect(keysOf(r.remote, 'Account')).toEqual(['A1', 'A3']);
      }
    }
  });

  it('lists a kind in bulk, with a warning, when the system cannot read it by id', async () => {
    const { sys: ok, state } = everythingInState();
    const { conn } = fakeSystem(ok.objects, { readThrows: 'Role' });
    const calls = { list: [] as string[] };
    const spy: KindSession = {
      ...conn,
      list: (req) => {
        calls.list.push(req.kind);
        return conn.list!(req);
      },
    };
    const { log, lines } = capture();
    const r = await refresh({
      connections: connectionsOf({ p: spy }),
      kinds: kindsOf([
        ['p', 'Account'],
        ['p', 'Role'],
      ]),
      log,
      mode: 'per-object',
      state,
      desired: desiredOf(state),
    });
    expect(calls.list).toEqual(['Role']);
    expect(keysOf(r.remote, 'Role')).toEqual(['R1', 'R_OTHER']);
    expect(r.remote.get('p')?.get('Account')).toHaveLength(3);
    expect(lines).toContain(
      'warn: p/Role: reading object 21 by id failed (cannot read Role by id); listing Role in bulk instead',
    );

    // When the list fails too, its error is the refresh's.
    const broken: KindSession = {
      ...conn,
      list: () => Promise.reject(new Error('system down')),
    };
    await expect(
      refresh({
        connections: connectionsOf({ p: broken }),
        kinds: kindsOf([['p', 'Role']]),
        log: capture().log,
        mode: 'per-object',
        state,
        desired: desiredOf(state),
      }),
    ).rejects.toThrow('system down');
  });

  it('skips kinds the system cannot read at all, in both modes', async () => {
    for (const mode of ['bulk', 'per-object'] as const) {
      const { sys, state } = everythingInState();
      const r = await refresh({
        connections: connectionsOf({ p: sys.conn }),
        kinds: kindsOf([
          ['p', 'Account'],
          ['p', 'Role'],
        ]),
        log: capture().log,
        unreadable: (_p, k) => k === 'Role',
        mode,
        state,
        desired: desiredOf(state),
      });
      expect([...sys.calls.list, ...sys.calls.read].filter((c) => c.startsWith('Role'))).toEqual([]);
      expect(r.remote.get('p')?.has('Role')).toBe(false);
    }
  });
});
