import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { copyExample, readJson, roster } from './helpers.js';

// Each simulated request waits this long, so the first apply holds the lock for seconds.
const SLOW = { ROSTER_SANDBOX_LATENCY_MS: '300' };

async function waitForFile(file: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`${file} did not appear within ${ms} ms`);
    await sleep(20);
  }
}

interface StateFile {
  lineage: string;
  serial: number;
  resources: Record<string, unknown>;
}

describe('two applies at once on the same state (built CLI)', () => {
  it('one proceeds; without --lock-timeout the other fails at once naming the holder; with it, it waits and writes after', async () => {
    const dir = copyExample('quickstart');
    // The waiting run also declares one more account, so what it writes shows whether it read the
    // first run's state (serial continues) or the state from before (a fork).
    const extraDir = mkdtempSync(path.join(tmpdir(), 'roster-lock-extra-'));
    writeFileSync(
      path.join(extraDir, 'extra.yaml'),
      `apiVersion: roster/v1
kind: ServiceAccount
metadata:
  name: late-comer
  provider: intacct-sandbox
  labels: { owner: finance-it, purpose: lock-test }
spec:
  id: WS_LATE_COMER
  userName: Late comer
  email: ws-late-comer@example.com
  contact: { firstName: Late, lastName: Comer, email: ws-late-comer@example.com }
  userType: business
  adminPrivileges: off
  status: active
`,
    );
    const lockFile = path.join(dir, '.roster', 'state.lock');

    const first = roster(['apply', '--auto-approve'], { cwd: dir, env: SLOW });
    await waitForFile(lockFile);
    const holder = readJson<{ pid: number; id: string }>(lockFile);

    const started = Date.now();
    const refused = await roster(['apply', '--auto-approve'], { cwd: dir });
    const refusedMs = Date.now() - started;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `error: state is locked by pid ${holder.pid} on host \\S+ since \\S+ \\(user \\S+, running apply\\); lock id ${holder.id}`,
      ),
    );
    expect(refused.stderr).toContain(`roster force-unlock ${holder.id}`);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    // "At once": it did not wait for the holder (which runs for seconds).
    expect(refusedMs).toBeLessThan(10_000);
    expect(existsSync(lockFile)).toBe(true);

    const short = await roster(['apply', '--auto-approve', '--lock-timeout', '400ms'], { cwd: dir });
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(
      /gave up waiting for the state lock after \d+ ms \(--lock-timeout\): state is locked by pid/,
    );

    const waiting = roster(['apply', '--auto-approve', '--lock-timeout', '2m', '-f', dir, '-f', extraDir], {
      cwd: dir,
    });
    const [a, c] = await Promise.all([first, waiting]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain('Apply complete!');
    expect(c.code, c.stderr).toBe(0);
    // It planned against the first run's result: only the extra account is new.
    expect(c.stdout).toContain('Apply complete! 1 created, 0 updated');
    expect(existsSync(lockFile)).toBe(false);

    const state = readJson<StateFile>(path.join(dir, '.roster', 'state.json'));
    const backup = readJson<StateFile>(path.join(dir, '.roster', 'state.json.backup'));
    expect(Object.keys(state.resources)).toContain('intacct-sandbox/ServiceAccount/late-comer');
    expect(Object.keys(state.resources)).toContain('intacct-sandbox/ServiceAccount/invoice-portal');
    expect(backup.lineage).toBe(state.lineage);
    expect(backup.serial).toBe(state.serial - 1);

    const plan = await roster(['plan', '-f', dir, '-f', extraDir], { cwd: dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes');
  });

  it('takes over a lock left by a process of this host that no longer runs, and says so', async () => {
    const dir = copyExample('quickstart');
    // A child that has exited: its pid names no running process.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const pid = Number(dead.stdout);
    mkdirSync(path.join(dir, '.roster'), { recursive: true, mode: 0o700 });
    const stale = {
      id: 'stale-0000',
      pid,
      host: hostname(),
      user: 'ci',
      operation: 'apply',
      createdAt: '2024-01-01T00:00:00.000Z',
    };
    writeFileSync(path.join(dir, '.roster', 'state.lock'), JSON.stringify(stale));
    const r = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `warning: removed a stale state lock stale-0000 of pid ${pid} on host ${hostname()}`,
    );
    expect(existsSync(path.join(dir, '.roster', 'state.lock'))).toBe(false);
  });

  it('rejects a malformed --lock-timeout', async () => {
    const dir = copyExample('quickstart');
    const r = await roster(['apply', '--auto-approve', '--lock-timeout', 'soon'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("option '--lock-timeout <duration>' argument 'soon' is invalid");
    expect(existsSync(path.join(dir, '.roster', 'state.json'))).toBe(false);
  });
});
