import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VendorRec } from './records.js';
import { seedDatabase } from './seed.js';
import { SimStore, type SimTx } from './store.js';

const open = (dir: string, extra: { compactBytes?: number } = {}) =>
  SimStore.open({ dir, init: seedDatabase, ...extra });

const stores: SimStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
async function tracked(p: Promise<SimStore>): Promise<SimStore> {
  const s = await p;
  stores.push(s);
  return s;
}

function addVendor(tx: SimTx, name: string): VendorRec {
  const rec = { key: tx.newKey('vendor'), name };
  tx.put('vendor', rec);
  return rec;
}

const vendors = (s: SimStore) => s.read((db) => [...db.table('vendor').values()].map((v) => v.name));
const tmp = () => mkdtempSync(path.join(tmpdir(), 'autotask-store-'));

describe('SimStore persistence', () => {
  it('seeds a new database once, with files only its owner reads, and reopens it', async () => {
    const dir = tmp();
    const a = await tracked(open(dir));
    expect(a.file).toBe(path.join(dir, 'autotask.json'));
    expect(statSync(a.file!).mode & 0o777).toBe(0o600);
    await a.transact((tx) => addVendor(tx, 'Acme Sync'));
    const b = await tracked(open(dir));
    expect(await vendors(b)).toContain('Acme Sync');
    expect(b.table('resource').get('29682885')?.lastName).toBe('Administrator');
    expect(b.table('securityLevel').size).toBe(3);
  });

  it('undoes every write of a transaction that throws, key sequence included', async () => {
    const a = await tracked(open(tmp()));
    const before = (await vendors(a)).length;
    await expect(
      a.transact((tx) => {
        addVendor(tx, 'KEEP OUT');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await vendors(a)).not.toContain('KEEP OUT');
    const r = await a.transact((tx) => addVendor(tx, 'AFTER'));
    expect(r.key).toBe(String(before + 1));
  });

  it('loses no update when two stores (two processes) write to the same directory at once', async () => {
    const dir = tmp();
    const a = await tracked(open(dir));
    const b = await tracked(open(dir));
    const writes: Array<Promise<VendorRec>> = [];
    for (let i = 0; i < 40; i++) {
      writes.push(a.transact((tx) => addVendor(tx, `A${i}`)));
      writes.push(b.transact((tx) => addVendor(tx, `B${i}`)));
    }
    const done = await Promise.all(writes);
    expect(new Set(done.map((r) => r.key)).size).toBe(80);
    const expected = 8 + 80;
    expect((await vendors(a)).length).toBe(expected);
    expect((await vendors(b)).length).toBe(expected);
    expect((await vendors(await tracked(open(dir)))).length).toBe(expected);
  });

  it('compacts the journal into the snapshot and skips a torn last line', async () => {
    const dir = tmp();
    const a = await tracked(open(dir, { compactBytes: 512 }));
    for (let i = 0; i < 80; i++) await a.transact((tx) => addVendor(tx, `V${i}`));
    const journal = path.join(dir, 'autotask.journal');
    // Rewritten once the journal outgrows the snapshot: it never grows past it by more than a line.
    expect(statSync(journal).size).toBeLessThanOrEqual(statSync(a.file!).size + 100);
    expect(JSON.parse(readFileSync(a.file!, 'utf8')).generation).toBeGreaterThan(1);
    appendFileSync(journal, '{"g":99,"ops":[["p","vendor",{"key":"x"'); // a crash mid-write
    const b = await tracked(open(dir));
    expect((await vendors(b)).filter((n) => n.startsWith('V'))).toHaveLength(80);
    await b.transact((tx) => addVendor(tx, 'after crash'));
    expect(await vendors(await tracked(open(dir)))).toContain('after crash');
  });
});
