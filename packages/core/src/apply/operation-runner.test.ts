import { describe, expect, it } from 'vitest';
import type { KindSession } from '../kind-operations.js';
import { desired, emptyState, kinds, obj, plan, remote, stateWith } from '../plan/fixtures.testing.js';
import type { Plan, PlannedChange } from '../plan/types.js';
import type { RemoteObject } from '../provider.js';
import { Secret } from '../secret.js';
import type { StateBackend, StateDocument } from '../state/types.js';
import { OperationJournal } from './operation-journal.js';
import { type OperationContext, OperationRunner } from './operation-runner.js';
import { RemoteObjects } from './remote-objects.js';
import { StateWriter } from './state-writer.js';
import { WireValues } from './wire-values.js';

/** A system whose calls are recorded, holding `objects`. */
function system(objects: RemoteObject[] = []) {
  const calls: string[] = [];
  const byId = new Map(objects.map((o) => [o.id, o]));
  let next = 100;
  const conn = {
    async create({ kind, attributes }) {
      calls.push(`create ${kind} ${JSON.stringify(attributes)}`);
      const o = { id: String(next++), naturalKey: String(attributes.id ?? attributes.name), attributes };
      byId.set(o.id, o);
      return { object: o, ...(kind === 'Account' ? { secrets: {} } : {}) };
    },
    async update({ kind, id, changes }) {
      calls.push(`update ${kind} ${id} ${JSON.stringify(changes)}`);
      const o = { ...byId.get(id)!, attributes: { ...byId.get(id)!.attributes, ...changes } };
      byId.set(id, o);
      return { object: o };
    },
    async delete({ kind, id }) {
      calls.push(`delete ${kind} ${id}`);
      byId.delete(id);
      return {};
    },
  } as KindSession;
  return { conn, calls };
}

/** The runner of one plan against `sys`, with state `state` and the refreshed `snapshot`. */
function runnerFor(
  p: Plan,
  sys: ReturnType<typeof system>,
  state: StateDocument,
  snapshot = remote('Account', []),
) {
  const backend = { location: 'memory', write: async () => {} } as unknown as StateBackend;
  const writer = new StateWriter(backend, state, { checkpoints: false });
  const objects = new RemoteObjects({
    remote: snapshot,
    state,
    changes: p.changes,
    kindOf: (_p, k) => kinds[k],
  });
  const kindDef = (c: PlannedChange) => kinds[c.kind]!;
  const notices: string[] = [];
  const ctx: OperationContext = {
    plan: p,
    writer,
    objects,
    values: new WireValues({ kindDef, writer, objects }),
    journal: new OperationJournal(p),
    kindDef,
    connection: () => sys.conn,
    now: () => new Date('2026-02-03T04:05:06Z'),
    actor: 'ann',
    notice: (c, m) => notices.push(`${c.address}: ${m}`),
  };
  return { runner: new OperationRunner(ctx), writer, notices };
}

describe('OperationRunner', () => {
  it('creates an object, resolving references to the ids state holds, and records it', async () => {
    const r = desired('Role', 'r', { name: 'R' });
    const a = desired('Account', 'a', { id: 'WS_A', roles: [{ ref: 'R' }] }, { dependencies: [r.address] });
    const state = stateWith('p/Role/r', { id: '5', naturalKey: 'R', attributes: { name: 'R' } });
    const snapshot = remote('Account', []);
    snapshot.get('p')!.set('Role', [{ id: '5', naturalKey: 'R', attributes: { name: 'R' } }]);
    const p = plan({ desired: [a, r], order: [r.address, a.address], state, remote: snapshot });
    const sys = system();
    const { runner, writer } = runnerFor(p, sys, state, snapshot);
    const create = p.changes.find((c) => c.action === 'create')!;
    await runner.perform(create);
    expect(sys.calls[0]).toBe('create Account {"id":"WS_A","roles":[{"ref":"R","id":"5"}]}');
    expect(writer.state.resources['p/Account/a']).toMatchObject({
      id: '100',
      naturalKey: 'WS_A',
      appliedAt: '2026-02-03T04:05:06.000Z',
    });
  });

  it('deactivates a removed resource of a deactivating kind and drops it from state', async () => {
    const o = obj('7', { id: 'WS_A', status: 'active' });
    const state = stateWith('p/Account/a', o);
    const snapshot = remote('Account', [o]);
    const p = plan({ desired: [], state, remote: snapshot });
    const sys = system([o]);
    const { runner, writer } = runnerFor(p, sys, state, snapshot);
    const change = p.changes.find((c) => c.action === 'deactivate')!;
    await runner.perform(change);
    expect(sys.calls).toEqual(['update Account 7 {"status":"inactive"}']);
    expect(writer.state.resources).toEqual({});
  });

  it('replaces an object that keeps its natural key by removing the old one first', async () => {
    const o = { id: '5', naturalKey: 'R', attributes: { name: 'R' } };
    const state = stateWith('p/Role/r', o);
    const snapshot = remote('Account', []);
    snapshot.get('p')!.set('Role', [o]);
    const r = desired('Role', 'r', { name: 'R' });
    const p = plan({
      desired: [r],
      order: [r.address],
      state,
      remote: snapshot,
      replace: new Set([r.address]),
    });
    const sys = system([o]);
    const { runner, writer } = runnerFor(p, sys, state, snapshot);
    await runner.perform(p.changes.find((c) => c.action === 'replace')!);
    expect(sys.calls).toEqual(['delete Role 5', 'create Role {"name":"R"}']);
    expect(writer.state.resources['p/Role/r']?.id).toBe('100');
  });

  it('says where a secret shown once was stored, or why it was not', async () => {
    const a = desired('Account', 'a', { id: 'WS_A' });
    const p = plan({ desired: [a], order: [a.address] });
    const { runner, notices } = runnerFor(p, system(), emptyState);
    const change = { ...p.changes[0]!, credentials: { secret: 'file:/keys/a' } };
    await runner.storeShownOnce(change, {
      secret: new Secret('s3cr3t', 'generated'),
      token: new Secret('t0k', 'generated'),
    });
    expect(notices).toEqual([
      'p/Account/a: the secret the system showed once was not stored: this run cannot store secrets',
      'p/Account/a: the token the system showed once was not stored: the manifest names no credentials.token to keep it in',
    ]);
    expect(notices.join('')).not.toContain('s3cr3t');
  });
});
