import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, intacctProviderYaml, project, readJson, roster, serveSandbox } from './helpers.js';
import { background } from './support/background-run.js';
import { startRequestGate } from './support/request-gate.js';

interface StateFile {
  lineage: string;
  serial: number;
  resources: Record<string, unknown>;
}

const CREDENTIALS = {
  LOCK_CID: 'lock-cid-52e1',
  LOCK_CS: 'lock-secret-Qd81xv',
  LOCK_UID: 'ws-roster-lock-9',
};

const provider = (endpoint: string) =>
  intacctProviderYaml({ name: 'intacct-sandbox', endpoint, envPrefix: 'LOCK' });

describe('two applies at once on the same state (built CLI)', () => {
  // No step depends on timing: the first apply is stopped at its first request by a gate the test
  // opens, so it provably still holds the lock while the others try it, however busy the machine.
  it('one proceeds; without --lock-timeout the other fails at once naming the holder; with it, it waits and writes after', {
    timeout: 180_000,
  }, async () => {
    const served = project({ 'p.yaml': provider('sandbox') });
    const sandbox = await serveSandbox(served, 'intacct-sandbox', [], CREDENTIALS);
    const gate = await startRequestGate(sandbox.url);
    try {
      const dir = copyExample('quickstart');
      writeFileSync(path.join(dir, 'provider.yaml'), provider(gate.url));
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

      const first = background(['apply', '--auto-approve'], dir, CREDENTIALS);
      // apply takes the lock before it connects: its first request, held by the gate, proves it holds it.
      await first.until(gate.held);
      const holder = readJson<{ pid: number; id: string }>(lockFile);
      expect(holder.pid).toBe(first.pid);

      // "At once": it returns while the holder is still stopped at the gate (waiting would never end).
      const refused = await roster(['apply', '--auto-approve'], { cwd: dir, env: CREDENTIALS });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(
          `error: state is locked by pid ${holder.pid} on host \\S+ since \\S+ \\(user \\S+, running apply\\); lock id ${holder.id}`,
        ),
      );
      expect(refused.stderr).toContain(`roster force-unlock ${holder.id}`);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(lockFile)).toBe(true);

      const short = await roster(['apply', '--auto-approve', '--lock-timeout', '400ms'], {
        cwd: dir,
        env: CREDENTIALS,
      });
      expect(short.code).toBe(1);
      expect(short.stderr).toMatch(
        /gave up waiting for the state lock after \d+ ms \(--lock-timeout\): state is locked by pid/,
      );
      // Neither refused run got as far as a request: only the holder's first one came, and waits.
      expect(gate.forwarded()).toBe(0);
      expect(readJson<{ id: string }>(lockFile).id).toBe(holder.id);

      const waiting = background(
        ['apply', '--auto-approve', '--lock-timeout', '2m', '-f', dir, '-f', extraDir],
        dir,
        CREDENTIALS,
      );
      // Released only once the second run says it is waiting for the holder's lock.
      await waiting.said(
        new RegExp(
          `waiting up to 120\\.0 s for the state lock \\(--lock-timeout\\): held by lock ${holder.id}`,
        ),
      );
      gate.open();
      const [a, c] = await Promise.all([first.done, waiting.done]);
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

      const plan = await roster(['plan', '-f', dir, '-f', extraDir], { cwd: dir, env: CREDENTIALS });
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain('No changes');
    } finally {
      await gate.close();
      await sandbox.stop();
    }
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
