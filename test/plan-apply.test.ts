import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, readJson, serveSandbox } from './helpers.js';
import { IntacctApi } from './intacct-api.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

async function patchBehindRostersBack(dir: string, id: string, body: Record<string, unknown>) {
  const server = await serveSandbox(dir, 'intacct-sandbox');
  try {
    await new IntacctApi(server.url).patchUser(id, body);
  } finally {
    await server.stop();
  }
}

describe('saved plans', () => {
  it('applies a saved plan exactly', async () => {
    const dir = copyExample('quickstart');
    const plan = await roster(['plan', '--out', 'plan.json', '--allow-empty-state'], { cwd: dir });
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain('roster apply plan.json');
    expect(statSync(path.join(dir, 'plan.json')).mode & 0o777).toBe(0o600);
    const apply = await roster(['apply', 'plan.json'], { cwd: dir });
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('5 created');
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);
  });

  it('refuses a saved plan once the state moved on', async () => {
    const dir = copyExample('quickstart');
    expect((await roster(['plan', '--out', 'plan.json', '--allow-empty-state'], { cwd: dir })).code).toBe(0);
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const r = await roster(['apply', 'plan.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stale.*\n.*state changed since the plan was made \(serial 0 → \d+\)/);
  });

  it('refuses a saved plan when an object it touches changed in the system, naming it', async () => {
    const dir = copyExample('quickstart');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const file = path.join(dir, 'service-accounts.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('userName: BI export', 'userName: BI export (nightly)'),
    );
    expect((await roster(['plan', '--out', 'plan.json'], { cwd: dir })).code).toBe(0);
    await patchBehindRostersBack(dir, 'WS_BI_EXPORT', { userName: 'Someone else' });
    const r = await roster(['apply', 'plan.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'intacct-sandbox/ServiceAccount/bi-export (WS_BI_EXPORT) changed in the system since the plan was made',
    );
  });

  it('refuses a plan file that was edited', async () => {
    const dir = copyExample('quickstart');
    expect((await roster(['plan', '--out', 'plan.json', '--allow-empty-state'], { cwd: dir })).code).toBe(0);
    const p = path.join(dir, 'plan.json');
    chmodSync(p, 0o600);
    writeFileSync(p, readFileSync(p, 'utf8').replace('"WS_BI_EXPORT"', '"WS_EVIL"'));
    const r = await roster(['apply', 'plan.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('modified after it was saved');
  });
});

describe('drift', () => {
  it('exits 0 without drift, and 2 naming each attribute changed outside roster and by whom', async () => {
    const dir = copyExample('quickstart');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const clean = await roster(['drift'], { cwd: dir });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('No drift.');

    await patchBehindRostersBack(dir, 'WS_BI_EXPORT', { adminPrivileges: 'full', userName: 'BI (edited)' });
    const text = await roster(['drift'], { cwd: dir });
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(
      /intacct-sandbox\/ServiceAccount\/bi-export was changed outside roster by Admin at /,
    );
    expect(text.stdout).toContain('~ adminPrivileges: "off" → "full"');
    expect(text.stdout).toContain('~ userName: "BI export" → "BI (edited)"');

    const json = await roster(['drift', '--format', 'json'], { cwd: dir });
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout) as {
      drift: Array<{
        address: string;
        attributes: Array<{ path: string; expected: unknown; actual: unknown }>;
      }>;
    };
    expect(report.drift[0]!.attributes).toEqual([
      { path: '/adminPrivileges', expected: 'off', actual: 'full' },
      { path: '/userName', expected: 'BI export', actual: 'BI (edited)' },
    ]);
    const md = await roster(['drift', '--format', 'markdown'], { cwd: dir });
    expect(md.code).toBe(2);
    expect(md.stdout).toContain('**1 resource drifted**');

    // The next plan puts it back; accepting instead is `apply --refresh-only`.
    const plan = await roster(['plan'], { cwd: dir });
    expect(plan.stdout).toContain('~ adminPrivileges = "full" → "off"');
    expect((await roster(['apply', '--refresh-only', '--auto-approve'], { cwd: dir })).code).toBe(0);
    expect((await roster(['drift'], { cwd: dir })).code).toBe(0);
  });
});

describe('the state lock', () => {
  it('makes a second run fail at once naming the holder, until force-unlock', async () => {
    const dir = copyExample('quickstart');
    const lock = {
      id: 'b1946ac9-2b3c-4c0e-9e2a-000000000001',
      pid: process.pid,
      host: hostname(),
      user: 'ci',
      operation: 'apply',
      createdAt: '2026-11-22T10:00:00.000Z',
    };
    // A first plan creates .roster/ (its sandbox).
    expect((await roster(['plan', '--allow-empty-state'], { cwd: dir })).code).toBe(0);
    writeFileSync(path.join(dir, '.roster/state.lock'), JSON.stringify(lock));
    const r = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `locked by pid ${process.pid} on host ${hostname()} since 2026-11-22T10:00:00.000Z`,
    );
    expect(r.stderr).toContain(`roster force-unlock ${lock.id}`);
    const wrong = await roster(['force-unlock', 'not-the-id'], { cwd: dir });
    expect(wrong.code).toBe(1);
    const unlock = await roster(['force-unlock', lock.id], { cwd: dir });
    expect(unlock.code).toBe(0);
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
  });

  it('takes over a lock left by a dead process on this host', async () => {
    const dir = copyExample('quickstart');
    expect((await roster(['plan', '--allow-empty-state'], { cwd: dir })).code).toBe(0);
    const lock = {
      id: 'dead',
      pid: 2 ** 22 + 12345,
      host: hostname(),
      user: 'x',
      operation: 'apply',
      createdAt: '2026-01-01T00:00:00Z',
    };
    writeFileSync(path.join(dir, '.roster/state.lock'), JSON.stringify(lock));
    const r = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/stale/i);
  });
});

describe('state commands', () => {
  it('lists, shows, moves and forgets addresses without touching the system', async () => {
    const dir = copyExample('quickstart');
    await roster(['apply', '--auto-approve'], { cwd: dir });
    const list = await roster(['state', 'list'], { cwd: dir });
    expect(list.stdout.trim().split('\n')).toHaveLength(5);
    const show = await roster(['state', 'show', 'intacct-sandbox/ServiceAccount/bi-export'], { cwd: dir });
    expect(JSON.parse(show.stdout)).toMatchObject({ kind: 'ServiceAccount', naturalKey: 'WS_BI_EXPORT' });
    const mv = await roster(
      ['state', 'mv', 'intacct-sandbox/ServiceAccount/bi-export', 'intacct-sandbox/ServiceAccount/bi'],
      { cwd: dir },
    );
    expect(mv.code).toBe(0);
    const file = path.join(dir, 'service-accounts.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: bi-export', 'name: bi'));
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);
    const rm = await roster(['state', 'rm', 'intacct-sandbox/ServiceAccount/bi'], { cwd: dir });
    expect(rm.code).toBe(0);
    const state = readJson<{ resources: Record<string, unknown> }>(path.join(dir, '.roster/state.json'));
    expect(Object.keys(state.resources)).not.toContain('intacct-sandbox/ServiceAccount/bi');
    // Forgotten, not deleted: the next plan adopts it again without a write.
    const again = await roster(['plan', '--format', 'json'], { cwd: dir });
    expect(
      (JSON.parse(again.stdout) as { changes: Array<{ action: string }> }).changes.map((c) => c.action),
    ).toEqual(['import']);
    const unknown = await roster(['state', 'show', 'intacct-sandbox/ServiceAccount/nope'], { cwd: dir });
    expect(unknown.code).toBe(1);
  });
});
