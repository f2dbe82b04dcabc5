import { type ChildProcess, spawn } from 'node:child_process';
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
