import { rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { copyExample, editFile, readJson, roster } from './helpers.js';
import { freshDatabase } from './support/postgres-database.js';

// `roster test` records each successful sign-in in state (lastSignInAt): the inventory's "last used"
// where a system keeps no record of its own (issue 20, item 3). ROSTER_TEST_SIGNED_IN_AT is the test
// hook that stands for the clock, so an account can be made to look unused for months.

const PORTAL = 'intacct-sandbox/ServiceAccount/invoice-portal';
const BI = 'intacct-sandbox/ServiceAccount/bi-export';
const MARCH = '2026-03-01T09:00:00.000Z';
const NOVEMBER = '2026-11-30T09:00:00.000Z';

interface StateFile {
  serial: number;
  resources: Record<string, Record<string, unknown> & { lastSignInAt?: string }>;
}

const withoutSignIn = (resources: StateFile['resources']) =>
  Object.fromEntries(Object.entries(resources).map(([a, { lastSignInAt: _, ...r }]) => [a, r]));

describe('roster test records successful sign-ins (local state)', () => {
  it('writes lastSignInAt of the accounts that signed in, only that, and keeps it through an update', async () => {
    const dir = copyExample('quickstart');
    const stateFile = path.join(dir, '.roster/state.json');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const applied = readJson<StateFile>(stateFile);

    const first = await roster(['test'], { cwd: dir, env: { ROSTER_TEST_SIGNED_IN_AT: MARCH } });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stderr).toContain('Recorded the sign-in of 2 accounts in state (lastSignInAt).');
    const tested = readJson<StateFile>(stateFile);
    expect(tested.serial).toBe(applied.serial + 1);
    expect(tested.resources[PORTAL]!.lastSignInAt).toBe(MARCH);
    expect(tested.resources[BI]!.lastSignInAt).toBe(MARCH);
    // Nothing else changed: no attribute, no secret, no other resource.
    expect(withoutSignIn(tested.resources)).toEqual(withoutSignIn(applied.resources));
    expect(tested.resources['intacct-sandbox/Group/integrations']!.lastSignInAt).toBeUndefined();

    const show = await roster(['state', 'show', PORTAL], { cwd: dir });
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ address: PORTAL, lastSignInAt: MARCH });

    // The portal's user is locked out by a manifest change: the update keeps its last sign-in, and
    // its failed sign-in afterwards does not change it; the other account's sign-in moves on.
    editFile(path.join(dir, 'service-accounts.yaml'), /status: active/, 'status: locked');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    expect(readJson<StateFile>(stateFile).resources[PORTAL]!.lastSignInAt).toBe(MARCH);
    const second = await roster(['test'], { cwd: dir, env: { ROSTER_TEST_SIGNED_IN_AT: NOVEMBER } });
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/invoice-portal .* FAIL \(.*locked/);
    expect(second.stderr).toContain('Recorded the sign-in of 1 account in state (lastSignInAt).');
    const after = readJson<StateFile>(stateFile).resources;
    expect(after[PORTAL]!.lastSignInAt).toBe(MARCH);
    expect(after[BI]!.lastSignInAt).toBe(NOVEMBER);
  });

  it('another run holding the state lock: the results stand, the sign-ins are not recorded, stderr says so', async () => {
    const dir = copyExample('quickstart');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    // A lock held by a live process of this host (the test itself).
    const lockFile = path.join(dir, '.roster', 'state.lock');
    writeFileSync(
      lockFile,
      JSON.stringify({
        id: 'held-0001',
        pid: process.pid,
        host: hostname(),
        user: 'ci',
        operation: 'apply',
        createdAt: '2026-12-07T00:00:00.000Z',
      }),
    );
    const r = await roster(['test'], { cwd: dir });
    rmSync(lockFile);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('All accounts that can be tested passed.');
    expect(r.stderr).toMatch(/^warning: the sign-ins were not recorded in state: .*held-0001/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const state = readJson<StateFile>(path.join(dir, '.roster/state.json'));
    expect(Object.values(state.resources).some((x) => x.lastSignInAt !== undefined)).toBe(false);
  });

  it('a malformed ROSTER_TEST_SIGNED_IN_AT is one message, exit 1, nothing recorded', async () => {
    const dir = copyExample('quickstart');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const r = await roster(['test'], { cwd: dir, env: { ROSTER_TEST_SIGNED_IN_AT: 'last tuesday' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ROSTER_TEST_SIGNED_IN_AT=last tuesday is not an ISO 8601 time');
    const state = readJson<StateFile>(path.join(dir, '.roster/state.json'));
    expect(Object.values(state.resources).some((x) => x.lastSignInAt !== undefined)).toBe(false);
  });
});

const server = inject('postgres');

describe.skipIf(!server.available)('roster test records successful sign-ins (PostgreSQL state)', () => {
  it('writes lastSignInAt into the workspace row with the serial bumped', async () => {
    const url = await freshDatabase(server, 'signin');
    const dir = copyExample('quickstart');
    const env = { ROSTER_BACKEND: url };
    expect((await roster(['apply', '--auto-approve'], { cwd: dir, env })).code).toBe(0);
    const before = await stateRow(url);
    const r = await roster(['test'], { cwd: dir, env: { ...env, ROSTER_TEST_SIGNED_IN_AT: MARCH } });
    expect(r.code, r.stderr).toBe(0);
    const after = await stateRow(url);
    expect(Number(after.serial)).toBe(Number(before.serial) + 1);
    expect(after.document.resources[PORTAL]!.lastSignInAt).toBe(MARCH);
    expect(withoutSignIn(after.document.resources)).toEqual(withoutSignIn(before.document.resources));
    const show = await roster(['state', 'show', BI], { cwd: dir, env });
    expect(JSON.parse(show.stdout)).toMatchObject({ lastSignInAt: MARCH });
  });
});

async function stateRow(url: string): Promise<{ serial: string; document: StateFile }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows = (
      await c.query<{ serial: string; document: StateFile }>(
        'SELECT serial, document FROM roster_state WHERE workspace = $1',
        ['default'],
      )
    ).rows;
    return rows[0]!;
  } finally {
    await c.end();
  }
}
