import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, roster } from './helpers.js';
import { manyAccountsProject } from './many-accounts.js';
import { expectGracefulStop, SIGNAL_TEST_SHAPE, startApply } from './support/live-apply.js';

// SIGTERM on a real process (what a cancelled CI job or a stopped container sends): handled like
// Ctrl-C. The built CLI applies 40 creates to a sandbox slowed down by ROSTER_SANDBOX_LATENCY_MS
// and receives SIGTERM while operations are in flight. It used to die by the signal at once, with
// no summary. Every run is waited for by its exit, killed and failed only after HANG_BOUND_MS.

const start = (cwd: string, env: Record<string, string>) => startApply(cwd, env, 'SIGTERM');
const SHAPE = SIGNAL_TEST_SHAPE;

interface StateFile {
  resources: Record<string, { id: string }>;
}

describe('SIGTERM during apply', () => {
  it('first SIGTERM: stops scheduling, finishes what is in flight, writes state, exits 143 with a summary', async () => {
    const dir = project(manyAccountsProject(SHAPE));
    const live = start(dir, { ROSTER_SANDBOX_LATENCY_MS: '60' });
    await live.waitFor(/: create done/);
    live.child.kill('SIGTERM');
    const { code, signal, hung } = await live.exit;
    expect(hung).toBe(false);
    expect(signal, `${live.stdout()}\n${live.stderr()}`).toBeNull();
    expect(code, `${live.stdout()}\n${live.stderr()}`).toBe(143);
    expect(live.stderr()).toContain('SIGTERM received: finishing the operations in flight and saving state');
    const { notStarted } = expectGracefulStop(live, dir, SHAPE.users);
    expect(existsSync(path.join(dir, '.roster/state.lock'))).toBe(false);

    const again = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Apply complete! ${notStarted} created`);
  });

  it('second SIGTERM: exits 143 at once, without waiting for calls in flight; the next apply reconciles', async () => {
    const dir = project(manyAccountsProject(SHAPE));
    // Each create takes several requests of 1.5 s: in flight for seconds.
    const live = start(dir, { ROSTER_SANDBOX_LATENCY_MS: '1500' });
    await live.waitFor(/: create…/);
    live.child.kill('SIGTERM');
    await live.waitFor('SIGTERM received');
    live.child.kill('SIGTERM');
    const { code, hung } = await live.exit;
    expect(hung).toBe(false);
    expect(code, `${live.stdout()}\n${live.stderr()}`).toBe(143);
    expect(live.stderr()).toContain('Stopping at once.');
    // What was in flight is in the journal (the run did not wait for it), and the lock was released.
    expect(readFileSync(path.join(dir, '.roster/journal'), 'utf8')).toMatch(/"phase":"intent"/);
    expect(existsSync(path.join(dir, '.roster/state.lock'))).toBe(false);

    const again = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('reconciled its journal');
    const state = JSON.parse(readFileSync(path.join(dir, '.roster/state.json'), 'utf8')) as StateFile;
    const ids = Object.values(state.resources).map((r) => r.id);
    expect(ids).toHaveLength(SHAPE.users);
    expect(new Set(ids).size).toBe(SHAPE.users);
  });
});
