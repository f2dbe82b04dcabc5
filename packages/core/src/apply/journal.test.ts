import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type JournalEntry,
  type JournalRecord,
  JournalWriter,
  journalPath,
  readJournal,
  rewriteJournal,
  unfinishedIntents,
} from './journal.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'roster-journal-'));

function intent(address: string, operation = 'create', id?: string): JournalRecord {
  return {
    address,
    provider: 'books',
    kind: 'ServiceAccount',
    operation,
    naturalKey: address.split('/').pop()!.toUpperCase(),
    idempotencyKey: `key-${address}`,
    phase: 'intent',
    ...(id ? { id } : {}),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the write-ahead journal', () => {
  it('appends entries in call order, written then fsynced before they resolve (appends made together share one write: group commit), file mode 0600', async () => {
    const file = journalPath(dir());
    const writer = await JournalWriter.open(file, 'run-1');
    // FileHandle's class is not exported: spy on the prototype of a handle.
    const probe: FileHandle = await open(file, 'r');
    const proto = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const calls: string[] = [];
    const append = proto.appendFile;
    const datasync = proto.datasync;
    vi.spyOn(proto, 'appendFile').mockImplementation(function (this: FileHandle, ...args) {
      calls.push(`append ${String(args[0]).includes('"phase":"intent"') ? 'intent' : 'done'}`);
      return append.apply(this, args);
    });
    vi.spyOn(proto, 'datasync').mockImplementation(function (this: FileHandle) {
      calls.push('datasync');
      return datasync.apply(this);
    });

    const a = writer.append(intent('books/ServiceAccount/a'));
    const b = writer.append(intent('books/ServiceAccount/b'));
    const first = await a;
    // Once an append resolves, its line is on disk.
    expect(readFileSync(file, 'utf8')).toContain('"address":"books/ServiceAccount/a"');
    await b;
    await writer.append({
      ...intent('books/ServiceAccount/a'),
      phase: 'done',
      id: '7',
      intentSeq: first.seq,
    });
    // a and b were appended in the same tick: one write and one fsync for both.
    expect(calls).toEqual(['append intent', 'datasync', 'append done', 'datasync']);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const entries = await readJournal(file);
    expect(entries.map((e) => [e.seq, e.address, e.phase])).toEqual([
      [1, 'books/ServiceAccount/a', 'intent'],
      [2, 'books/ServiceAccount/b', 'intent'],
      [3, 'books/ServiceAccount/a', 'done'],
    ]);
    expect(entries.every((e) => e.runId === 'run-1' && !Number.isNaN(Date.parse(e.at)))).toBe(true);
    expect(writer.settled).toBe(false);
    expect(unfinishedIntents(entries).map((e) => e.address)).toEqual(['books/ServiceAccount/b']);
    await writer.close();
  });

  it('ignores a torn last line, and the next run cuts it off and continues the sequence', async () => {
    const file = journalPath(dir());
    const w1 = await JournalWriter.open(file, 'run-1');
    await w1.append(intent('books/ServiceAccount/a'));
    await w1.close();
    // A crash in the middle of an append: half a JSON object, no newline.
    appendFileSync(file, '{"seq":2,"runId":"run-1","address":"books/Serv');
    expect((await readJournal(file)).map((e) => e.seq)).toEqual([1]);

    const w2 = await JournalWriter.open(file, 'run-2');
    await w2.append(intent('books/ServiceAccount/b'));
    await w2.close();
    const entries = await readJournal(file);
    expect(entries.map((e) => [e.seq, e.runId])).toEqual([
      [1, 'run-1'],
      [2, 'run-2'],
    ]);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('skips a line that is not JSON anywhere without losing the others', async () => {
    const file = journalPath(dir());
    writeFileSync(
      file,
      `not json\n${JSON.stringify({ ...intent('x/K/a'), seq: 4, runId: 'r', at: 'now' })}\n`,
    );
    expect((await readJournal(file)).map((e) => e.seq)).toEqual([4]);
    expect(await readJournal(path.join(dir(), 'missing'))).toEqual([]);
  });

  it('counts a failed create as unfinished (the call may have made the object), a failed update as finished', () => {
    const base = { runId: 'r', at: 't', provider: 'p', kind: 'K', naturalKey: 'N' };
    const entries = [
      { ...base, seq: 1, address: 'p/K/a', operation: 'create', phase: 'intent' as const },
      { ...base, seq: 2, address: 'p/K/a', operation: 'create', phase: 'failed' as const, intentSeq: 1 },
      { ...base, seq: 3, address: 'p/K/b', operation: 'update', phase: 'intent' as const },
      { ...base, seq: 4, address: 'p/K/b', operation: 'update', phase: 'failed' as const, intentSeq: 3 },
      { ...base, seq: 5, address: 'p/K/c', operation: 'delete', phase: 'intent' as const },
      { ...base, seq: 6, address: 'p/K/d', operation: 'create', phase: 'intent' as const },
      {
        ...base,
        seq: 7,
        address: 'p/K/d',
        operation: 'create',
        phase: 'done' as const,
        id: '9',
        intentSeq: 6,
      },
    ];
    expect(unfinishedIntents(entries).map((e) => e.address)).toEqual(['p/K/a', 'p/K/c']);
  });

  it('empties itself once a run settled, keeping what earlier runs left unreconciled', async () => {
    const file = journalPath(dir());
    const base = { runId: 'old', at: 't', provider: 'gone', kind: 'K', naturalKey: 'N', operation: 'create' };
    await rewriteJournal(file, [{ ...base, seq: 1, address: 'gone/K/x', phase: 'intent' }]);
    const w = await JournalWriter.open(file, 'new');
    const e = await w.append(intent('books/ServiceAccount/a'));
    await w.append({ ...intent('books/ServiceAccount/a'), phase: 'done', id: '1', intentSeq: e.seq });
    expect(w.settled).toBe(true);
    await w.finish();
    expect((await readJournal(file)).map((x) => [x.seq, x.runId])).toEqual([[1, 'old']]);
    await expect(w.append(intent('books/ServiceAccount/b'))).rejects.toThrow(/closed/);
    await rewriteJournal(file, []);
    expect(statSync(file).size).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('with a team backend, appends to its store only: no local file, positions continue from the store, finish keeps what earlier runs left', async () => {
    const stored: JournalEntry[] = [];
    const store = {
      append: async (entries: readonly JournalEntry[]) => {
        stored.push(...entries);
      },
      read: async () => [...stored],
      replace: async (entries: readonly JournalEntry[]) => {
        stored.splice(0, stored.length, ...entries);
      },
    };
    const base = { runId: 'old', at: 't', provider: 'gone', kind: 'K', naturalKey: 'N', operation: 'create' };
    stored.push({ ...base, seq: 4, address: 'gone/K/x', phase: 'intent' });
    const w = await JournalWriter.open(undefined, 'new', store);
    expect(w.file).toBeUndefined();
    const e = await w.append(intent('books/ServiceAccount/a'));
    expect(e.seq).toBe(5);
    // Stored (committed) before the append resolves: the call it announces may start.
    expect(stored.map((x) => x.seq)).toEqual([4, 5]);
    await w.append({ ...intent('books/ServiceAccount/a'), phase: 'done', id: '1', intentSeq: e.seq });
    await w.finish();
    expect(stored.map((x) => [x.seq, x.runId])).toEqual([[4, 'old']]);
    await expect(JournalWriter.open(undefined, 'x')).rejects.toThrow(/needs a file or a team backend/);
  });
});
