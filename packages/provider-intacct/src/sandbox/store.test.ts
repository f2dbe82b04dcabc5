import { appendFileSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditNew } from './objects.js';
import type { RoleRec } from './records.js';
import { seedCompany } from './seed.js';
import { SimStore, type SimTx, storeFileBase } from './store.js';

const open = (dir: string, extra: { compactBytes?: number } = {}) =>
  SimStore.open({ dir, companyId: 'demo-co', init: seedCompany, ...extra });

const stores: SimStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
async function tracked(p: Promise<SimStore>): Promise<SimStore> {
  const s = await p;
  stores.push(s);
  return s;
}

function addRole(tx: SimTx, id: string): RoleRec {
  const rec: RoleRec = {
    key: tx.newKey('role'),
    id,
    roleType: 'enterprise',
    applyTo: 'loginAndSlideIn',
    audit: auditNew({ actor: { id: 'test' }, now: '2025-01-01T00:00:00Z' }),
  };
  tx.put('role', rec);
  return rec;
}

const roleIds = (s: SimStore) => s.read((db) => [...db.table('role').values()].map((r) => r.id).sort());
const tmp = () => mkdtempSync(path.join(tmpdir(), 'intacct-store-'));

describe('SimStore persistence', () => {
  it('seeds a new company once and reopens it from the files', async () => {
    const dir = tmp();
    const a = await tracked(open(dir));
    expect(a.file).toBe(path.join(dir, `${storeFileBase('demo-co')}.json`));
    await a.transact((tx) => addRole(tx, 'R1'));
    const b = await tracked(open(dir));
    expect(await roleIds(b)).toEqual(['::SYS::Administrator', '::SYS::Employee', 'R1']);
    expect(b.table('user').first('id', 'admin')?.id).toBe('Admin');
  });

  it('undoes every write of a transaction that throws', async () => {
    const a = await tracked(open(tmp()));
    await expect(
      a.transact((tx) => {
        addRole(tx, 'KEEP_OUT');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await roleIds(a)).not.toContain('KEEP_OUT');
    const r = await a.transact((tx) => addRole(tx, 'AFTER'));
    expect(r.key).toBe('3'); // the refused transaction's key was given back
  });

  it('loses no update when two stores write to the same directory at once', async () => {
    const dir = tmp();
    const a = await tracked(open(dir));
    const b = await tracked(open(dir));
    const writes: Array<Promise<RoleRec>> = [];
    for (let i = 0; i < 60; i++) {
      writes.push(a.transact((tx) => addRole(tx, `A${i}`)));
      writes.push(b.transact((tx) => addRole(tx, `B${i}`)));
    }
    const done = await Promise.all(writes);
    // Keys come from one sequence across both writers: no two transactions got the same one.
    expect(new Set(done.map((r) => r.key)).size).toBe(120);
    const expected = 2 + 120;
    expect((await roleIds(a)).length).toBe(expected);
    expect((await roleIds(b)).length).toBe(expected);
    const c = await tracked(open(dir));
    expect((await roleIds(c)).length).toBe(expected);
  });

  it('rewrites the snapshot once the journal grows, and readers follow', async () => {
    const dir = tmp();
    const a = await tracked(open(dir, { compactBytes: 1 }));
    const b = await tracked(open(dir));
    const snapshot = path.join(dir, `${storeFileBase('demo-co')}.json`);
    const journal = path.join(dir, `${storeFileBase('demo-co')}.journal`);
    const before = JSON.parse(readFileSync(snapshot, 'utf8')).generation;
    // The journal is folded into the snapshot once it outgrows it (and compactBytes).
    for (let i = 0; i < 40; i++) await a.transact((tx) => addRole(tx, `C${i}`));
    await b.transact((tx) => addRole(tx, 'FROM_B'));
    await a.transact((tx) => addRole(tx, 'C3'));
    expect(JSON.parse(readFileSync(snapshot, 'utf8')).generation).toBeGreaterThan(before);
    expect(statSync(journal).size).toBeLessThan(statSync(snapshot).size);
    expect(await roleIds(b)).toContain('C39');
    expect(await roleIds(a)).toContain('FROM_B');
    const c = await tracked(open(dir));
    expect((await roleIds(c)).length).toBe(2 + 42);
  });

  it('ignores a torn journal line left by a crash and writes over it', async () => {
    const dir = tmp();
    const a = await tracked(open(dir));
    await a.transact((tx) => addRole(tx, 'BEFORE_CRASH'));
    await a.close();
    stores.length = 0;
    appendFileSync(path.join(dir, `${storeFileBase('demo-co')}.journal`), '{"g":1,"ops":[["p","role",{"ke');
    const b = await tracked(open(dir));
    expect(await roleIds(b)).toContain('BEFORE_CRASH');
    await b.transact((tx) => addRole(tx, 'AFTER_CRASH'));
    const c = await tracked(open(dir));
    expect(await roleIds(c)).toEqual(expect.arrayContaining(['BEFORE_CRASH', 'AFTER_CRASH']));
  });

  it('breaks a lock whose owner is gone or that is too old', async () => {
    const dir = tmp();
    const a = await tracked(open(dir));
    const lock = path.join(dir, `${storeFileBase('demo-co')}.lock`);
    // A pid that cannot be running (above the kernel's pid_max).
    writeFileSync(
      lock,
      JSON.stringify({ pid: 2 ** 22 + 1, host: (await import('node:os')).hostname(), token: 'x' }),
    );
    await a.transact((tx) => addRole(tx, 'DEAD_OWNER'));
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: 'elsewhere', token: 'y' }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    await a.transact((tx) => addRole(tx, 'OLD_LOCK'));
    expect(await roleIds(a)).toEqual(expect.arrayContaining(['DEAD_OWNER', 'OLD_LOCK']));
  });

  it('refuses a file that is not a sandbox', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, `${storeFileBase('demo-co')}.json`), '{"format":"other"}');
    await expect(open(dir)).rejects.toThrow(/not a roster Intacct sandbox/);
  });

  it('keeps everything in memory without a directory', async () => {
    const s = await tracked(SimStore.open({ companyId: 'mem', init: seedCompany }));
    await s.transact((tx) => addRole(tx, 'M'));
    expect(s.file).toBeUndefined();
    expect(await roleIds(s)).toContain('M');
  });
});
