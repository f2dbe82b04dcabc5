import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { copyExample, roster } from './helpers.js';

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8).padStart(4, '0');

describe('files roster writes are private to their owner (built CLI)', () => {
  it('state, backup, lock, plans, runbook, journal, audit log and stored secrets are 0600; their directories 0700', async () => {
    const dir = copyExample('autotask');
    const roster_ = path.join(dir, '.roster');
    const at = (...p: string[]) => path.join(roster_, ...p);

    // The lock, seen while a slowed-down apply holds it.
    const holding = roster(['apply', '--auto-approve'], {
      cwd: dir,
      env: { ROSTER_SANDBOX_LATENCY_MS: '200' },
    });
    const until = Date.now() + 20_000;
    while (!existsSync(at('state.lock')) && Date.now() < until) await sleep(10);
    expect(mode(at('state.lock'))).toBe('0600');
    // Without a terminal the manual steps go to the runbook: exit 3.
    const first = await holding;
    expect(first.code, first.stderr).toBe(3);
    expect(mode(at('runbook.md'))).toBe('0600');

    expect(
      (await roster(['plan', '--out', 'plan.json', '--out-markdown', 'plan.md'], { cwd: dir })).code,
    ).toBe(0);
    expect(mode(path.join(dir, 'plan.json'))).toBe('0600');
    expect(mode(path.join(dir, 'plan.md'))).toBe('0600');

    // The sandbox operator does the UI steps; the API user's secret, shown once, is stored where
    // the manifest's credentials point.
    const second = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    const secret = path.join(dir, 'secrets', 'office-protect.secret');
    expect(mode(secret)).toBe('0600');
    expect(mode(path.dirname(secret))).toBe('0700');

    expect(mode(roster_)).toBe('0700');
    expect(mode(at('state.json'))).toBe('0600');
    expect(mode(at('state.json.backup'))).toBe('0600');
    // Written by the executor's journal and audit log where this roster has them.
    for (const f of ['journal', 'audit.jsonl']) {
      if (!existsSync(at(f))) continue;
      expect(mode(at(f)), f).toBe(statSync(at(f)).isDirectory() ? '0700' : '0600');
    }
  });
});
