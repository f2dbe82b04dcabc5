/** Exponential back-off settings. */
export interface BackoffSettings {
  /** The mean wait before the first retry; it doubles per retry. */
  baseDelayMs: number;
  /** No single wait is longer. */
  maxDelayMs: number;
}

/**
 * The wait before retry number `retry` (1 = the first retry): "full jitter" — uniform over
 * [0, 2·base·2^(retry−1)), capped. Full jitter spreads clients that failed together over the
 * whole interval, so they do not come back in lockstep (the thundering herd a fixed or
 * half-jittered schedule keeps); the interval is doubled so the *mean* wait is the nominal
 * exponential step base·2^(retry−1).
 */
export function backoffDelay(retry: number, s: BackoffSettings, random: () => number): number {
  const step = s.baseDelayMs * 2 ** Math.max(0, retry - 1);
  return Math.min(s.maxDelayMs, 2 * step * random());
}
