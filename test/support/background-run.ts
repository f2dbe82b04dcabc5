import { spawn } from 'node:child_process';
import { record } from '../e2e-record.js';
import { cliEnv, rosterBin } from '../helpers.js';

/** A run of the built CLI in the background, with a promise of the first time stderr matches. */
export function background(args: string[], cwd: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [rosterBin, ...args], {
    cwd,
    env: cliEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: Array<{ re: RegExp; resolve: () => void }> = [];
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    stderr += String(d);
    for (const w of [...watchers]) if (w.re.test(stderr)) w.resolve();
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      record({ type: 'run', label: `roster ${args.join(' ')}`, cwd, env, stdout, stderr });
      resolve({ code, stdout, stderr });
    }),
  );
  const exitedBefore = (what: string) =>
    done.then((r) => {
      throw new Error(`exited ${r.code} before ${what}:\n${r.stdout}\n${r.stderr}`);
    });
  return {
    pid: child.pid,
    done,
    /** Resolves with `event`; rejects if the run ends first (so a test never waits for nothing). */
    until: <T>(event: Promise<T>): Promise<T> => Promise.race([event, exitedBefore('the event waited for')]),
    /** Resolves when stderr matches `re`; rejects if the run ends first. */
    said: (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(stderr)) return resolve();
        watchers.push({ re, resolve });
        void done.then((r) => reject(new Error(`exited ${r.code} before ${re}:\n${r.stdout}\n${r.stderr}`)));
      }),
  };
}
