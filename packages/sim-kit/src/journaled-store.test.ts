import { appendFileSync, promises as fs, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AtomicFileWriter, JournaledStore, type JournaledStoreOptions } from './journaled-store.js';
import { MapTable } from './map-table.testing.js';
import { type KeyedRecord, type StoreTable, TableTransaction } from './table-transaction.js';

// Temp file and rename, as write-file-atomic does: the snapshot is replaced, never rewritten in place.
const writeFileAtomic: AtomicFileWriter = async (file, data, opts) => {
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, data, opts.mode !== undefined ? { mode: opts.mode } : {});
  await fs.rename(tmp, file);
};

interface Opened {
  store: JournaledStore<TableTransaction>;
  items: MapTable;
}

const stores: Array<JournaledStore<TableTransaction>> = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

async function open(
  dir: string | undefined,
  extra: Partial<JournaledStoreOptions<TableTransaction>> = {},
): Promise<Opened> {
  const items = new MapTable();
  const tables = new Map<string, StoreTable>([
    ['item', items],
    ['other', new MapTable()],
  ]);
  const store = await JournaledStore.open({
    tables,
    newTransaction: () => new TableTransaction(tables),
    dir,
    fileBase: 'test-store',
    format: 'roster-test-sandbox',
    systemName: 'Test',
    header: { tenant: 't1' },
    init: (tx) => tx.put('item', { key: tx.newKey('item') }),
    compactBytes: 1024 * 1024,
    writeFileAtomic,
    ...extra,
  });
  stores.push(store);
  return { store, items };
}

const add = ({ store }: Opened, name: string) =>
  store.transact((tx) => {
    const rec = { key: tx.newKey('item'), name };
    tx.put('item', rec);
    return rec;
  });

async function names({ store, items }: Opened): Promise<string[]> {
  await store.catchUp();
  return [...items.values()].map((r) => (r as { name?: string }).name ?? '(seed)');
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'journaled-store-'));

describe('JournaledStore', () => {
  it('seeds an in-memory store and writes no files', async () => {
    const s = await open(undefined);
    expect(s.store.file).toBeUndefined();
    await add(s, 'a');
    expect(await names(s)).toEqual(['(seed)', 'a']);
    expect(s.store.version).toBe(2);
  });

  it('seeds a new directory once, writes the snapshot it promises, and reopens from the files', async () => {
    const dir = tmp();
    const a = await open(dir, { fileMode: 0o600 });
    expect(a.store.file).toBe(path.join(dir, 'test-store.json'));
    const doc = JSON.parse(readFileSync(a.store.file!, 'utf8'));
    expect(Object.keys(doc)).toEqual(['format', 'version', 'tenant', 'generation', 'savedAt', 'tables']);
    expect(doc).toMatchObject({ format: 'roster-test-sandbox', version: 1, tenant: 't1', generation: 1 });
    expect(doc.tables).toEqual({ item: { seq: 1, rows: [{ key: '1' }] }, other: { seq: 0, rows: [] } });
    expect(statSync(a.store.file!).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'test-store.journal')).mode & 0o777).toBe(0o600);
    await add(a, 'a');
    const b = await open(dir);
    expect(await names(b)).toEqual(['(seed)', 'a']);
    expect((await add(b, 'b')).key).toBe('3');
  });

  it('undoes a transaction that throws and still commits the others of its batch', async () => {
    const s = await open(tmp());
    const results = await Promise.allSettled([
      add(s, 'before'),
      s.store.transact((tx) => {
        tx.put('item', { key: tx.newKey('item') });
        throw new Error('refused');
      }),
      add(s, 'after'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await names(s)).toEqual(['(seed)', 'before', 'after']);
    expect(await names(await open(path.dirname(s.store.file!)))).toEqual(['(seed)', 'before', 'after']);
  });

  it('loses no update when two stores (two processes) write to the same directory at once', async () => {
    const dir = tmp();
    const a = await open(dir);
    const b = await open(dir);
    const writes: Array<Promise<KeyedRecord>> = [];
    for (let i = 0; i < 30; i++) writes.push(add(a, `A${i}`), add(b, `B${i}`));
    const done = await Promise.all(writes);
    expect(new Set(done.map((r) => r.key)).size).toBe(60);
    expect(await names(a)).toHaveLength(61);
    expect(await names(b)).toHaveLength(61);
  });

  it('compacts the journal into a new snapshot generation and skips a torn last line', async () => {
    const dir = tmp();
    const a = await open(dir, { compactBytes: 256 });
    for (let i = 0; i < 40; i++) await add(a, `V${i}`);
    const journal = path.join(dir, 'test-store.journal');
    expect(statSync(journal).size).toBeLessThanOrEqual(statSync(a.store.file!).size + 100);
    expect(JSON.parse(readFileSync(a.store.file!, 'utf8')).generation).toBeGreaterThan(1);
    appendFileSync(journal, '{"g":99,"ops":[["p","item",{"key":"x"'); // a crash mid-write
    const b = await open(dir);
    expect(await names(b)).toHaveLength(41);
    await add(b, 'after crash');
    expect(await names(await open(dir))).toContain('after crash');
  });

  it('refuses a snapshot of another system, and a closed store refuses transactions', async () => {
    const dir = tmp();
    writeFileSync(
      path.join(dir, 'test-store.json'),
      JSON.stringify({ format: 'roster-other-sandbox', version: 1 }),
    );
    await expect(open(dir)).rejects.toThrow(
      `the sandbox file ${path.join(dir, 'test-store.json')} is not a roster Test sandbox (format roster-other-sandbox)`,
    );
    const s = await open(undefined);
    await s.store.close();
    await expect(add(s, 'late')).rejects.toThrow('the sandbox store is closed');
  });
});
