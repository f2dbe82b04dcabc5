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
  const tty = [process.stdin.isTTY, process.stdout.isTTY, process.stderr.isTTY];
  process.env = cliEnv(opts.env);
  process.chdir(opts.cwd);
  process.stdin.isTTY = false;
  process.stdout.isTTY = false;
  process.stderr.isTTY = false;
  let run: Captured<number>;
  try {
    run = await captureOutput(() => main(['node', 'roster', ...args]));
  } finally {
    [process.stdin.isTTY, process.stdout.isTTY, process.stderr.isTTY] = tty as [true, true, true];
    process.chdir(savedCwd);
    process.env = savedEnv;
  }
  const { stdout } = run;
  let { stderr } = run;
  // main turns every error into an exit code: anything else is a bug, shown as a crash would be.
  if ('thrown' in run)
    stderr += `main threw: ${run.thrown instanceof Error ? run.thrown.stack : String(run.thrown)}`;
  const code = 'value' in run ? (run.value as number) : -1;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  record({ type: 'run', label: `roster ${args.join(' ')} (in process)`, cwd: opts.cwd, env, stdout, stderr });
  return { code, stdout, stderr };
}

const bundleMain = pathToFileURL(path.join(repoRoot, 'packages/cli/bundle/main.js')).href;

/** What a function printed while it ran, and what it returned or threw. */
export type Captured<T> = { stdout: string; stderr: string } & ({ value: T } | { thrown: unknown });

/**
 * Run `fn` with `process.stdout`/`process.stderr` writes captured (not printed). The streams are
 * replaced for the duration, so captured runs must not overlap.
 */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<Captured<T>> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (s: string) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      rest.find((r): r is () => void => typeof r === 'function')?.();
      return true;
    };
  process.stdout.write = capture((s) => {
    stdout += s;
  }) as typeof process.stdout.write;
  process.stderr.write = capture((s) => {
    stderr += s;
  }) as typeof process.stderr.write;
  try {
    const value = await fn();
    return { stdout, stderr, value };
  } catch (thrown) {
    return { stdout, stderr, thrown };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
