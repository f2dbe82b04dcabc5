import type { CrashPhase } from '@roster/core';

/** The test hook's environment variable. */
export const KILL_HOOK_ENV = 'ROSTER_TEST_KILL_AFTER_OPS';

/**
 * TEST HOOK, for crash-safety tests only: `ROSTER_TEST_KILL_AFTER_OPS=<n>[:intent|call|done]` makes
 * `roster apply` kill itself with SIGKILL at the n-th journaled operation (counted from 1 in this
 * process) — after its intent is on disk and before its call (`intent`), after the call returned
 * and before its outcome is journaled (`call`, the default), or after the outcome is journaled and
 * before state is written (`done`). SIGKILL cannot be caught: nothing is flushed, released or
 * cleaned up, exactly as when the machine loses power or the OOM killer strikes. Unset, it does
 * nothing; a malformed value is an error, so a test never runs without the kill it asked for.
 */
export function crashPointFromEnv(env: NodeJS.ProcessEnv): ((phase: CrashPhase) => void) | undefined {
  const raw = env[KILL_HOOK_ENV];
  if (!raw) return undefined;
  const m = /^(\d+)(?::(intent|call|done))?$/.exec(raw);
  if (!m || Number(m[1]) < 1)
    throw new Error(`${KILL_HOOK_ENV}=${raw}: expected <n>[:intent|call|done] with n ≥ 1`);
  const after = Number(m[1]);
  const phase = (m[2] ?? 'call') as CrashPhase;
  let seen = 0;
  return (at) => {
    if (at !== phase) return;
    seen += 1;
    if (seen >= after) process.kill(process.pid, 'SIGKILL');
  };
}
