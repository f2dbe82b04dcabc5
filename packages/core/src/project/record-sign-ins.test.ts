import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStateBackend } from '../state/local-backend.js';
import { LockedError, type StateDocument, type StateResource } from '../state/types.js';
import { recordSignIns, saveSignIns, signInsOf } from './record-sign-ins.js';
import type { AccountTest } from './test-accounts.js';

const A = 'intacct/ServiceAccount/a';
const B = 'intacct/ServiceAccount/b';
const C = 'intacct/ServiceAccount/c';

function account(id: string, extra: Partial<StateResource> = {}): StateResource {
  return {
    provider: 'intacct',
    kind: 'ServiceAccount',
    name: id.toLowerCase(),
    id,
    naturalKey: id,
    attributes: { status: 'active', password: 'hmac-sha256:abc' },
    dependencies: [],
    credentialsIssuedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

function doc(resources: Record<string, StateResource>, serial = 4): StateDocument {
  return { version: 1, lineage: 'L', serial, resources };
}

const row = (address: string, authenticated: boolean, permissionOk = true): AccountTest => ({
  address,
  system: 'intacct (intacct)',
  status: authenticated && permissionOk ? 'pass' : 'fail',
  authenticated,
  permission: { ok: permissionOk, checked: 'list' },
});

describe('signInsOf', () => {
  it('keeps the accounts that signed in, even when their permission check failed, with their ids', () => {
    const tested = doc({ [A]: account('A'), [B]: account('B'), [C]: account('C') });
    const rows: AccountTest[] = [
      row(A, true),
      row(B, false),
      row(C, true, false),
      { address: 'x/ServiceAccount/skipped', system: 'x', status: 'skipped' },
    ];
    expect(signInsOf(rows, tested)).toEqual([
      { address: A, id: 'A' },
      { address: C, id: 'C' },
    ]);
  });
});

describe('recordSignIns', () => {
  const at = '2026-12-07T10:00:00.000Z';

  it('sets lastSignInAt on the signed-in accounts only, bumps the serial, and changes nothing else', () => {
    const before = doc({
      [A]: account('A'),
      [B]: account('B', { lastSignInAt: '2026-06-01T00:00:00.000Z' }),
    });
    const next = recordSignIns(before, [{ address: A, id: 'A' }], at)!;
    expect(next.serial).toBe(5);
    expect(next.resources[A]).toEqual({ ...before.resources[A], lastSignInAt: at });
    // A failed (or untested) account keeps what it had.
    expect(next.resources[B]).toEqual(before.resources[B]);
    expect(before.resources[A]!.lastSignInAt).toBeUndefined();
  });

  it('leaves an account that was replaced or removed since it was tested', () => {
    const now = doc({ [A]: account('A2') });
    expect(
      recordSignIns(
        now,
        [
          { address: A, id: 'A' },
          { address: B, id: 'B' },
        ],
        at,
      ),
    ).toBeUndefined();
  });
});

describe('saveSignIns', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'roster-sign-ins-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes under the state lock on the state as it is now, and releases the lock', async () => {
    const backend = new LocalStateBackend({ dir });
    const start = await backend.read();
    await backend.write(
      { ...start, serial: start.serial + 1, resources: { [A]: account('A') } },
      start.serial,
    );
    // Another run wrote after the test read state: the sign-in is recorded on top of that write.
    const later = await backend.read();
    await backend.write(
      { ...later, serial: later.serial + 1, resources: { ...later.resources, [B]: account('B') } },
      later.serial,
    );

    const n = await saveSignIns(backend, [{ address: A, id: 'A' }], '2026-12-07T10:00:00.000Z');
    expect(n).toBe(1);
    const after = await backend.read();
    expect(after.serial).toBe(later.serial + 2);
    expect(after.resources[A]!.lastSignInAt).toBe('2026-12-07T10:00:00.000Z');
    expect(after.resources[B]!.lastSignInAt).toBeUndefined();
    expect(await backend.currentLock()).toBeUndefined();
  });

  it('neither locks nor writes when there is nothing to record', async () => {
    const backend = new LocalStateBackend({ dir });
    const held = await backend.lock({ operation: 'apply' });
    // With the lock held elsewhere, an empty record does not even try to take it.
    expect(await saveSignIns(backend, [], '2026-12-07T10:00:00.000Z')).toBe(0);
    await backend.unlock(held.id);
    expect((await backend.read()).serial).toBe(0);
  });

  it('throws LockedError while another run holds the lock, and writes nothing', async () => {
    const backend = new LocalStateBackend({ dir });
    const start = await backend.read();
    await backend.write({ ...start, serial: 1, resources: { [A]: account('A') } }, start.serial);
    const held = await backend.lock({ operation: 'apply' });
    await expect(
      saveSignIns(new LocalStateBackend({ dir }), [{ address: A, id: 'A' }], '2026-12-07T10:00:00.000Z'),
    ).rejects.toBeInstanceOf(LockedError);
    await backend.unlock(held.id);
    expect((await backend.read()).resources[A]!.lastSignInAt).toBeUndefined();
  });
});
