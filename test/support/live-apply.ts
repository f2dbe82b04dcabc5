import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { record } from '../e2e-record.js';
import { cliEnv, rosterBin } from '../helpers.js';
import { HANG_BOUND_MS } from './run-to-exit.js';

/** A `roster apply --auto-approve` running in the background, for tests that signal it. */
export interface LiveApply {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when stderr contains `text`; rejects if the process exits first. */
  waitFor(text: string | RegExp): Promise<void>;
  /** `hung`: killed by the bound, never exited by itself (the test then fails on it). */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; hung: boolean; at: number }>;
}

/** The shape of the project the signal tests apply: 40 creates, slowed down by the sandbox latency. */
export const SIGNAL_TEST_SHAPE = { users: 40, inactiveUsers: 0, roles: 0, groups: 0 };

/**
 * Start the built CLI's apply in `cwd`. The run is waited for by its exit; only a process still
 * running after three hang bounds is killed, so a machine's load never decides the outcome.
 */
export function startApply(cwd: string, env: Record<string, string>, label: string): LiveApply {
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
  const exit: LiveApply['exit'] = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      record({ type: 'run', label: `roster apply --auto-approve (${label})`, cwd, env, stdout, stderr });
      resolve({ code, signal, hung, at: Date.now() });
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

/**
 * What a graceful stop of a signalled apply leaves, checked the same way for SIGINT and SIGTERM:
 * a summary counting what was created and what never started (together, every planned create),
 * exactly the created resources in state, a settled journal, and the audit log's finish line.
 */
export function expectGracefulStop(
  live: LiveApply,
  dir: string,
  users: number,
): { created: number; notStarted: number } {
  const summary = /Interrupted: (\d+) created, .*; 0 failed, (\d+) not started\. State is saved/.exec(
    live.stdout(),
  );
  expect(summary, live.stdout()).not.toBeNull();
  const created = Number(summary![1]);
  const notStarted = Number(summary![2]);
  expect(created).toBeGreaterThan(0);
  expect(notStarted).toBeGreaterThan(0);
  expect(created + notStarted).toBe(users);
  const state = JSON.parse(readFileSync(path.join(dir, '.roster/state.json'), 'utf8')) as {
    resources: Record<string, unknown>;
  };
  expect(Object.keys(state.resources)).toHaveLength(created);
  expect(readFileSync(path.join(dir, '.roster/journal'), 'utf8')).toBe('');
  const finish = readFileSync(path.join(dir, '.roster/audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.type === 'apply-finish');
  expect(finish).toMatchObject({ outcome: 'interrupted', counts: { done: created, skipped: notStarted } });
  return { created, notStarted };
}
