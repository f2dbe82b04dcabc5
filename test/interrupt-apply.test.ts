import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, roster } from './helpers.js';
import { manyAccountsProject } from './many-accounts.js';
import { SIGNAL_TEST_SHAPE, startApply } from './support/live-apply.js';

// Ctrl-C on a real process: the built CLI applies 40 creates to a sandbox slowed down by
// ROSTER_SANDBOX_LATENCY_MS, and receives SIGINT while operations are in flight.

const start = (cwd: string, env: Record<string, string>) => startApply(cwd, env, 'SIGINT');
const SHAPE = SIGNAL_TEST_SHAPE;

interface StateFile {
  resources: Record<string, { id: string }>;
}

function auditLines(dir: string): Array<Record<string, unknown>> {
  return readFileSync(path.join(dir, '.roster/audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('Ctrl-C during apply', () => {
  it('first SIGINT: stops scheduling, finishes what is in flight, writes state, exits 130 with a summary', async () => {
    const dir = project(manyAccountsProject(SHAPE));
    const live = start(dir, { ROSTER_SANDBOX_LATENCY_MS: '60' });
    await live.waitFor(/: create done/);
    live.child.kill('SIGINT');
    const { code } = await live.exit;
    expect(code, `${live.stdout()}\n${live.stderr()}`).toBe(130);
    expect(live.stderr()).toContain(
      'Interrupt received: finishing the operations in flight and saving state',
    );
    const summary = /Interrupted: (\d+) created, .*; 0 failed, (\d+) not started\. State is saved/.exec(
      live.stdout(),
    );
    expect(summary, live.stdout()).not.toBeNull();
    const created = Number(summary![1]);
    const notStarted = Number(summary![2]);
    expect(created).toBeGreaterThan(0);
    expect(notStarted).toBeGreaterThan(0);
    expect(created + notStarted).toBe(SHAPE.users);
    // Every operation that started finished and is in state; the journal is settled (empty).
    const state = JSON.parse(readFileSync(path.join(dir, '.roster/state.json'), 'utf8')) as StateFile;
    expect(Object.keys(state.resources)).toHaveLength(created);
    expect(readFileSync(path.join(dir, '.roster/journal'), 'utf8')).toBe('');
    const finish = auditLines(dir).find((l) => l.type === 'apply-finish');
    expect(finish).toMatchObject({ outcome: 'interrupted', counts: { done: created, skipped: notStarted } });

    const again = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Apply complete! ${notStarted} created`);
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);
  });

  it('second SIGINT: exits at once, without waiting for calls in flight; the next apply reconciles', async () => {
    const dir = project(manyAccountsProject(SHAPE));
    // Each create takes several requests of 1.5 s: in flight for seconds.
    const live = start(dir, { ROSTER_SANDBOX_LATENCY_MS: '1500' });
    await live.waitFor(/: create…/);
    live.child.kill('SIGINT');
    await live.waitFor('Interrupt received');
    const second = Date.now();
    live.child.kill('SIGINT');
    const { code, at } = await live.exit;
    expect(code).toBe(130);
    expect(live.stderr()).toContain('Stopping at once.');
    expect(at - second).toBeLessThan(1000);
    // What was in flight is in the journal, and the state lock was released.
    expect(readFileSync(path.join(dir, '.roster/journal'), 'utf8')).toMatch(/"phase":"intent"/);
    expect(existsSync(path.join(dir, '.roster/state.lock'))).toBe(false);

    const again = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('reconciled its journal');
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);
    const state = JSON.parse(readFileSync(path.join(dir, '.roster/state.json'), 'utf8')) as StateFile;
    const ids = Object.values(state.resources).map((r) => r.id);
    expect(ids).toHaveLength(SHAPE.users);
    expect(new Set(ids).size).toBe(SHAPE.users);
  });
});
