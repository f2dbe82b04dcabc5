import { spawn } from 'node:child_process';
import { record } from '../e2e-record.js';
import { cliEnv, rosterBin } from '../helpers.js';

/**
 * A bound that only catches a hang: a run still going after this long is killed and reported as
 * hung (the test fails). Nothing is asserted about how fast a run is otherwise. 60 s, not 20: on a
 * machine saturated by other jobs a legitimate run can take tens of seconds.
 */
export const HANG_BOUND_MS = 60_000;

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the run did not exit by itself within HANG_BOUND_MS and was killed. */
  hung: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Run the built CLI as its own process and wait for its `exit` event: a process kept alive by
 * anything (a server left listening, a regular expression that never returns) is killed with
 * SIGKILL after HANG_BOUND_MS and returned with `hung: true`.
 */
export function runToExit(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Exited> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [rosterBin, ...args], {
      cwd,
      env: cliEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const bound = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, HANG_BOUND_MS);
    child.on('exit', () => clearTimeout(bound));
    // 'close' follows 'exit' once the output pipes are drained too.
    child.on('close', (code, signal) => {
      record({ type: 'run', label: `roster ${args.join(' ')}`, cwd, env, stdout, stderr });
      resolve({ code, signal, hung, stdout, stderr });
    });
  });
}
