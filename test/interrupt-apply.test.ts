import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, roster } from './helpers.js';
import { manyAccountsProject } from './many-accounts.js';
import { expectGracefulStop, SIGNAL_TEST_SHAPE, startApply } from './support/live-apply.js';

// Ctrl-C on a real process: the built CLI applies 40 creates to a sandbox slowed down by
// ROSTER_SANDBOX_LATENCY_MS, and receives SIGINT while operations are in flight.

const start = (cwd: string, env: Record<string, string>) => startApply(cwd, env, 'SIGINT');
const SHAPE = SIGNAL_TEST_SHAPE;

interface StateFile {
  resources: Record<string, { id: string }>;
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
    const { notStarted } = expectGracefulStop(live, dir, SHAPE.users);

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
    live.child.kill('SIGINT');
    const { code, hung } = await live.exit;
    expect(hung).toBe(false);
    expect(code).toBe(130);
    expect(live.stderr()).toContain('Stopping at once.');
    // "At once" without a stopwatch: a call was still in flight when it exited, so the journal
    // holds an intent with no outcome (the first SIGINT would have waited for it). The state lock
    // was released.
    const journal = readFileSync(path.join(dir, '.roster/journal'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { runId: string; seq: number; phase: string; intentSeq?: number });
    const settled = new Set(
      journal.filter((e) => e.phase !== 'intent').map((e) => `${e.runId}:${e.intentSeq}`),
    );
    expect(
      journal.filter((e) => e.phase === 'intent' && !settled.has(`${e.runId}:${e.seq}`)).length,
    ).toBeGreaterThan(0);
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
