import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { record } from './e2e-record.js';
import { cliEnv, project, roster, rosterBin } from './helpers.js';
import { manyAccountsProject } from './many-accounts.js';
import { HANG_BOUND_MS } from './support/run-to-exit.js';

// SIGTERM on a real process (what a cancelled CI job or a stopped container sends): handled like
// Ctrl-C. The built CLI applies 40 creates to a sandbox slowed down by ROSTER_SANDBOX_LATENCY_MS
// and receives SIGTERM while operations are in flight. It used to die by the signal at once, with
// no summary. Every run is waited for by its exit, killed and failed only after HANG_BOUND_MS.

interface Live {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when stderr contains `text`. */
  waitFor(text: string | RegExp): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; hung: boolean }>;
}

function start(cwd: string, env: Record<string, string>): Live {
  const child = spawn(process.execPath, [rosterBin, 'apply', '--auto-approve'], {
    cwd,
    env: cliEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ text: string | RegExp; resolve: () => void }> = [];
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr?.on('data', (d) => {
    stderr += String(d);
    for (const w of [...waiters]) {
      if (typeof w.text === 'string' ? stderr.includes(w.text) : w.text.test(stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  let hung = false;
  const bound = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, HANG_BOUND_MS * 3);
  child.on('exit', () => clearTimeout(bound));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; hung: boolean }>((resolve) =>
    child.on('close', (code, signal) => {
      record({ type: 'run', label: 'roster apply --auto-approve (SIGTERM)', cwd, env, stdout, stderr });
      resolve({ code, signal, hung });
    }),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (typeof text === 'string' ? stderr.includes(text) : text.test(stderr)) return resolve();
        waiters.push({ text, resolve });
        void exit.then(() => reject(new Error(`exited before ${String(text)}:\n${stdout}\n${stderr}`)));
      }),
    exit,
  };
}

const SHAPE = { users: 40, inactiveUsers: 0, roles: 0, groups: 0 };

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
    const summary = /Interrupted: (\d+) created, .*; 0 failed, (\d+) not started\. State is saved/.exec(
      live.stdout(),
    );
    expect(summary, live.stdout()).not.toBeNull();
    const created = Number(summary![1]);
    const notStarted = Number(summary![2]);
    expect(created).toBeGreaterThan(0);
    expect(notStarted).toBeGreaterThan(0);
    expect(created + notStarted).toBe(SHAPE.users);
    // Every operation that started finished and is in state; the journal is settled, the lock gone.
    const state = JSON.parse(readFileSync(path.join(dir, '.roster/state.json'), 'utf8')) as StateFile;
    expect(Object.keys(state.resources)).toHaveLength(created);
    expect(readFileSync(path.join(dir, '.roster/journal'), 'utf8')).toBe('');
    expect(existsSync(path.join(dir, '.roster/state.lock'))).toBe(false);
    const finish = readFileSync(path.join(dir, '.roster/audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.type === 'apply-finish');
    expect(finish).toMatchObject({ outcome: 'interrupted', counts: { done: created, skipped: notStarted } });

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
