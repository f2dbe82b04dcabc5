import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KindSession } from '../kind-operations.js';
import { silentLogger } from '../logger.js';
import { desired, kinds, plan } from '../plan/fixtures.testing.js';
import type { Plan } from '../plan/types.js';
import type { RemoteObject } from '../provider.js';
import { memoryBackend } from '../state/memory-backend.testing.js';
import { executePlan } from './execute.js';
import { JournalWriter, readJournal } from './journal.js';

/** An in-memory system and state backend that record every call. */
function fakeSystem(opts: { failCreate?: string; failWrites?: boolean; createDelayMs?: number } = {}) {
  const objects = new Map<string, RemoteObject>();
  const calls: string[] = [];
  let next = 1;
  const conn: KindSession = {
    async list() {
      return { objects: [...objects.values()] };
    },
    async read({ id }) {
      return { object: objects.get(id) };
    },
    async create({ kind, attributes }) {
      const key = String(attributes.id ?? attributes.name);
      calls.push(`create ${kind} ${key} ${JSON.stringify(attributes.roles ?? null)}`);
      if (key === opts.failCreate) throw new Error(`refused ${key}`);
      if (opts.createDelayMs) await new Promise((r) => setTimeout(r, opts.createDelayMs));
      const o: RemoteObject = { id: String(next++), naturalKey: key, attributes: { ...attributes } };
      objects.set(o.id, o);
      return { object: o };
    },
    async update({ kind, id, changes }) {
      calls.push(`update ${kind} ${id} ${JSON.stringify(changes)}`);
      const o = objects.get(id)!;
      o.attributes = { ...o.attributes, ...changes };
      return { object: o };
    },
    async delete({ kind, id }) {
      calls.push(`delete ${kind} ${id}`);
      objects.delete(id);
      return {};
    },
    stats: () => ({ apiCalls: calls.length, throttled: 0 }),
    async close() {},
  };
  const mem = memoryBackend(opts);
  return { conn, calls, writes: mem.writes, backend: mem.backend, stored: mem.stored };
}

/** Apply `p` to the fake system with the plan's own kinds, from the state it holds now. */
async function executeOn(
  sys: ReturnType<typeof fakeSystem>,
  p: Plan,
  concurrency: number,
  more: Partial<Parameters<typeof executePlan>[0]> = {},
) {
  return executePlan({
    plan: p,
    remote: new Map(),
    connections: new Map([['p', sys.conn]]),
    kindOf: (_p, k) => kinds[k],
    backend: sys.backend,
    state: await sys.backend.read(),
    concurrency,
    log: silentLogger,
    ...more,
  });
}

describe('executePlan', () => {
  it('creates parents first, resolves references to ids, and writes state after every operation', async () => {
    const sys = fakeSystem();
    const r = desired('Role', 'r', { name: 'R' });
    const a = desired(
      'Account',
      'a',
      { id: 'WS_A', status: 'inactive', roles: [{ ref: 'R' }] },
      { dependencies: [r.address] },
    );
    const p = plan({ desired: [a, r], order: [r.address, a.address] });
    const result = await executeOn(sys, p, 4);
    expect(result.failed).toEqual([]);
    expect(sys.calls).toEqual([
      'create Role R null',
      'create Account WS_A [{"ref":"R","id":"1"}]',
      'update Account 2 {"status":"inactive"}',
    ]);
    expect(sys.writes).toEqual([1, 2, 3]);
    expect(sys.stored().resources['p/Account/a']).toMatchObject({
      id: '2',
      attributes: { status: 'inactive' },
    });
  });

  it('skips what depends on a failed operation and keeps what was done', async () => {
    const sys = fakeSystem({ failCreate: 'R' });
    const r = desired('Role', 'r', { name: 'R' });
    const a = desired('Account', 'a', { id: 'WS_A', roles: [{ ref: 'R' }] }, { dependencies: [r.address] });
    const b = desired('Account', 'b', { id: 'WS_B' });
    const p = plan({ desired: [a, b, r], order: [r.address, a.address, b.address] });
    const result = await executeOn(sys, p, 1);
    expect(result.failed.map((f) => [f.change.address, f.message])).toEqual([['p/Role/r', 'refused R']]);
    expect(result.skipped.map((s) => s.change.address)).toEqual(['p/Account/a']);
    expect(Object.keys(sys.stored().resources)).toEqual(['p/Account/b']);
  });

  it('stops scheduling when aborted and reports the interrupt', async () => {
    const sys = fakeSystem();
    const controller = new AbortController();
    controller.abort();
    const a = desired('Account', 'a', { id: 'WS_A' });
    const result = await executeOn(sys, plan({ desired: [a], order: [a.address] }), 1, {
      signal: controller.signal,
    });
    expect(result.interrupted).toBe(true);
    expect(sys.calls).toEqual([]);
  });

  describe('with a journal', () => {
    const withJournal = async (fn: (journal: JournalWriter, file: string) => Promise<void>) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'roster-exec-'));
      const file = path.join(dir, 'journal');
      const journal = await JournalWriter.open(file, 'run-1');
      try {
        await fn(journal, file);
      } finally {
        await journal.close();
        await rm(dir, { recursive: true, force: true });
      }
    };
    /** Create every account in `all`, journaled, `concurrency` at a time. */
    const applyAll = async (
      sys: ReturnType<typeof fakeSystem>,
      all: ReturnType<typeof desired>[],
      journal: JournalWriter,
      concurrency: number,
    ) => executeOn(sys, plan({ desired: all, order: all.map((a) => a.address) }), concurrency, { journal });
    const accounts = (n: number) =>
      Array.from({ length: n }, (_, i) => desired('Account', `a${i}`, { id: `WS_${i}` }));

    it('writes state as checkpoints, not once per operation, and empties the journal at the end', async () => {
      await withJournal(async (journal, file) => {
        const sys = fakeSystem();
        const all = accounts(40);
        const result = await applyAll(sys, all, journal, 4);
        expect(result.applied).toHaveLength(40);
        // 40 operations finish well within one checkpoint interval: one write at the end holds them.
        expect(sys.writes).toEqual([1]);
        expect(Object.keys(sys.stored().resources)).toHaveLength(40);
        expect(await readJournal(file)).toEqual([]);
      });
    });

    it('writes a checkpoint while operations still run, once the interval has passed', async () => {
      await withJournal(async (journal) => {
        const sys = fakeSystem({ createDelayMs: 150 });
        const all = accounts(12);
        await applyAll(sys, all, journal, 1);
        // 12 creates of 150 ms one at a time take 1.8 s: a checkpoint after the first second, and the last.
        expect(sys.writes.length).toBeGreaterThanOrEqual(2);
        expect(sys.writes.length).toBeLessThan(12);
        expect(Object.keys(sys.stored().resources)).toHaveLength(12);
      });
    });

    it('stops starting operations when state cannot be written, and keeps the journal', async () => {
      await withJournal(async (journal, file) => {
        const sys = fakeSystem({ failWrites: true, createDelayMs: 150 });
        const all = accounts(12);
        const result = await applyAll(sys, all, journal, 1);
        expect(result.stateError).toBe('disk full');
        expect(result.applied.length).toBeGreaterThan(0);
        expect(result.applied.length).toBeLessThan(12);
        expect(result.skipped.map((s) => s.reason)).toContain(
          'not started: state could not be written (disk full)',
        );
        // What was done is in the journal, for the next run to reconcile.
        const done = (await readJournal(file)).filter((e) => e.phase === 'done');
        expect(done.map((e) => e.address)).toEqual(result.applied.map((c) => c.address));
      });
    });
  });
});
