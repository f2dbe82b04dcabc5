import { UserError } from '@roster/core';

/** Requests per hour the Autotask sandbox allows before answering 429 (default 10,000). */
export const SANDBOX_THRESHOLD_ENV = 'ROSTER_AUTOTASK_SANDBOX_THRESHOLD';

/** The sandbox's hourly request threshold from the environment, or undefined for Autotask's 10,000. */
export function thresholdFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[SANDBOX_THRESHOLD_ENV];
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1)
    throw new UserError(
      `${SANDBOX_THRESHOLD_ENV} must be a whole number of requests ≥ 1 (got ${JSON.stringify(raw)})`,
    );
  return v;
}
