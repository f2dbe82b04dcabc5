/**
 * Run the CLI's `main(argv)` in this process with its output captured: thousands of runs fit in
 * seconds where a process each would take minutes. stdout and stderr are replaced for the duration
 * of one run, so runs must not overlap.
 */
import { main } from '../packages/cli/src/main.js';

/** What one in-process run printed and returned. */
export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  /** An exception `main` let through (a bug: main turns every error into an exit code). */
  thrown?: unknown;
}

export async function runInProcess(args: string[]): Promise<InProcessResult> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (s: string) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r): r is () => void => typeof r === 'function');
      cb?.();
      return true;
    };
  process.stdout.write = capture((s) => {
    stdout += s;
  }) as typeof process.stdout.write;
  process.stderr.write = capture((s) => {
    stderr += s;
  }) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'roster', ...args]);
    return { code, stdout, stderr };
  } catch (thrown) {
    return { code: -1, stdout, stderr, thrown };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
