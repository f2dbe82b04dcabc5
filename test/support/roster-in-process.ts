import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { record } from '../e2e-record.js';
import { cliEnv, type RunResult, repoRoot } from '../helpers.js';

/**
 * `roster(args, { cwd, env })` without a process: the built CLI's `main` (packages/cli/bundle, what
 * the binary runs) in this worker, in `cwd`, with the environment `roster()` would give it, stdout
 * and stderr captured, no TTY. For tests of what the CLI computes and prints; tests of signals,
 * exit of the process, pipes or stdin keep `roster()`. Runs must not overlap (one at a time).
 */
export async function rosterInProcess(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined> },
): Promise<RunResult> {
  const { main } = (await import(bundleMain)) as { main: (argv: string[]) => Promise<number> };
  const savedEnv = process.env;
  const savedCwd = process.cwd();
  const out = process.stdout.write;
  const err = process.stderr.write;
  const tty = [process.stdin.isTTY, process.stdout.isTTY, process.stderr.isTTY];
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (s: string) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      rest.find((r): r is () => void => typeof r === 'function')?.();
      return true;
    };
  process.env = cliEnv(opts.env);
  process.chdir(opts.cwd);
  process.stdin.isTTY = false;
  process.stdout.isTTY = false;
  process.stderr.isTTY = false;
  process.stdout.write = capture((s) => {
    stdout += s;
  }) as typeof process.stdout.write;
  process.stderr.write = capture((s) => {
    stderr += s;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(['node', 'roster', ...args]);
  } catch (thrown) {
    // main turns every error into an exit code: anything else is a bug, shown as a crash would be.
    code = -1;
    stderr += `main threw: ${thrown instanceof Error ? thrown.stack : String(thrown)}`;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    [process.stdin.isTTY, process.stdout.isTTY, process.stderr.isTTY] = tty as [true, true, true];
    process.chdir(savedCwd);
    process.env = savedEnv;
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  record({ type: 'run', label: `roster ${args.join(' ')} (in process)`, cwd: opts.cwd, env, stdout, stderr });
  return { code, stdout, stderr };
}

const bundleMain = pathToFileURL(path.join(repoRoot, 'packages/cli/bundle/main.js')).href;
