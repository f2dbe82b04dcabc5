/**
 * Run the CLI's `main(argv)` in this process with its output captured: thousands of runs fit in
 * seconds where a process each would take minutes. stdout and stderr are replaced for the duration
 * of one run, so runs must not overlap.
 */
import { main } from '../packages/cli/src/main.js';
import { captureOutput } from './support/roster-in-process.js';

/** What one in-process run printed and returned. */
export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  /** An exception `main` let through (a bug: main turns every error into an exit code). */
  thrown?: unknown;
}

export async function runInProcess(args: string[]): Promise<InProcessResult> {
  const run = await captureOutput(() => main(['node', 'roster', ...args]));
  return 'value' in run
    ? { code: run.value, stdout: run.stdout, stderr: run.stderr }
    : { code: -1, stdout: run.stdout, stderr: run.stderr, thrown: run.thrown };
}
