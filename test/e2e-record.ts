/**
 * What the end-to-end helpers record for the secrets scan (`test/global-setup.ts`): every CLI run's
 * output, every scratch directory, every credential a test declares. Test files run in forked
 * workers, so records go to files in a directory shared through an environment variable, one file
 * per worker process (appends of one line each never interleave within a process).
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';

/** Environment variable naming the directory records are written to (set by the global setup). */
export const RECORD_DIR_ENV = 'ROSTER_E2E_RECORD_DIR';

/** One recorded fact. */
export type E2eRecord =
  | {
      type: 'run';
      /** What produced the output (`roster plan …`, `sandbox serve`). */
      label: string;
      cwd: string;
      /** The environment the test added for this run (where `${env:…}` credentials come from). */
      env: Record<string, string>;
      stdout: string;
      stderr: string;
    }
  | { type: 'dir'; dir: string }
  | { type: 'credential'; name: string; value: string };

/** Append a record, when the global setup asked for them (a lone `vitest run file` without it records nothing). */
export function record(entry: E2eRecord): void {
  const dir = process.env[RECORD_DIR_ENV];
  if (!dir) return;
  appendFileSync(path.join(dir, `${process.pid}.jsonl`), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
}

/** Declare a credential value a test uses that no manifest names (a token, a key), so the scan looks for it. */
export function recordCredential(name: string, value: string): void {
  record({ type: 'credential', name, value });
}
