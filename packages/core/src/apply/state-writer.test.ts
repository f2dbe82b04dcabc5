import { describe, expect, it } from 'vitest';
import type { StateBackend, StateDocument, StateResource } from '../state/types.js';
import { StateWriter } from './state-writer.js';

/** A backend that records the serial of every write and can be made to fail. */
function memoryBackend() {
  const writes: StateDocument[] = [];
  let fail: string | undefined;
  let stored = 0;
  const backend = {
    location: 'memory',
    async read() {
      throw new Error('not used');
    },
    async write(doc: StateDocument, expected: number) {
      await new Promise((r) => setImmediate(r));
      if (fail) throw new Error(fail);
      if (expected !== stored) throw new Error(`serial conflict: ${expected} != ${stored}`);
      stored = doc.serial;
      writes.push(structuredClone(doc));
    },
  } as unknown as StateBackend;
  return { backend, writes, failWith: (m: string | undefined) => (fail = m) };
}
const empty: StateDocument = { version: 1, lineage: 'L', serial: 0, resources: {} };
const resource = (naturalKey: string, id = naturalKey): StateResource => ({
  provider: 'p',
  kind: 'K',
  name: naturalKey,
  id,
  naturalKey,
  attributes: {},
  dependencies: [],
  remoteFingerprint: 'f',
  appliedAt: '',
});

describe('StateWriter', () => {
  it('without checkpoints, a commit resolves once a write holds it; concurrent commits share writes', async () => {
    const m = memoryBackend();
    const w = new StateWriter(m.backend, empty, { checkpoints: false });
    await w.put('p/K/a', resource('a'));
    expect(m.writes.map((d) => Object.keys(d.resources))).toEqual([['p/K/a']]);
    await Promise.all(['b', 'c', 'd'].map((k) => w.put(`p/K/${k}`, resource(k))));
    // The first write is in flight when the next two arrive: they share the one after it.
    expect(m.writes.map((d) => d.serial)).toEqual([1, 2, 3]);
    expect(Object.keys(m.writes.at(-1)!.resources)).toEqual(['p/K/a', 'p/K/b', 'p/K/c', 'p/K/d']);
    expect(w.state.serial).toBe(3);
  });

  it('with checkpoints, a commit resolves at once and finish writes what is left once', async () => {
    const m = memoryBackend();
    const w = new StateWriter(m.backend, empty, { checkpoints: true });
    for (const k of ['a', 'b', 'c']) await w.put(`p/K/${k}`, resource(k));
    expect(m.writes).toEqual([]);
    await w.finish();
    expect(m.writes.map((d) => [d.serial, Object.keys(d.resources).length])).toEqual([[1, 3]]);
  });

  it('keeps the serial and the error of a failed write, and writes again when finishing', async () => {
    const m = memoryBackend();
    const w = new StateWriter(m.backend, empty, { checkpoints: false });
    m.failWith('disk full');
    await expect(w.put('p/K/a', resource('a'))).rejects.toThrow('disk full');
    expect(w.errorMessage).toBe('disk full');
    expect(w.checkpointError()).toBeUndefined();
    expect(w.state.serial).toBe(0);
    m.failWith(undefined);
    await w.finish();
    expect(w.error).toBeUndefined();
    expect(m.writes.map((d) => d.serial)).toEqual([1]);
  });

  it('with checkpoints, reports a failed write as the reason to start nothing more', async () => {
    const m = memoryBackend();
    const w = new StateWriter(m.backend, empty, { checkpoints: true });
    m.failWith('disk full');
    await w.put('p/K/a', resource('a'));
    await w.finish();
    expect(w.checkpointError()).toBe('disk full');
  });

  it('finds resources by natural key, also after one was renamed in place', async () => {
    const m = memoryBackend();
    const w = new StateWriter(
      m.backend,
      { ...empty, resources: { 'p/K/a': resource('a', '1') } },
      { checkpoints: true },
    );
    expect(w.byKey('p', 'K', 'a')?.id).toBe('1');
    await w.put('p/K/a', resource('a2', '1'));
    expect(w.byKey('p', 'K', 'a')).toBeUndefined();
    expect(w.byKey('p', 'K', 'a2')?.id).toBe('1');
    expect(w.byKey('q', 'K', 'a2')).toBeUndefined();
  });

  it('does not change the document it was given', async () => {
    const m = memoryBackend();
    const given = structuredClone(empty);
    const w = new StateWriter(m.backend, given, { checkpoints: false });
    await w.put('p/K/a', resource('a'));
    expect(given).toEqual(empty);
  });
});
