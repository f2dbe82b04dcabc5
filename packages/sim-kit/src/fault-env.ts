import { UserError } from '@roster/core';
import type { SimulatorFaults } from './faults.js';

/** Environment variables that switch on faults in every sandbox simulator roster starts. */
export const SANDBOX_FAULT_ENV = {
  latencyMs: 'ROSTER_SANDBOX_LATENCY_MS',
  errorRate: 'ROSTER_SANDBOX_ERROR_RATE',
  throttleRate: 'ROSTER_SANDBOX_THROTTLE_RATE',
  dropRate: 'ROSTER_SANDBOX_DROP_RATE',
} as const;

/**
 * Fault switches from `ROSTER_SANDBOX_*`: added latency in ms, and shares (0–1) of requests
 * answered with a 5xx, throttled with 429, or whose connection is dropped. A bad value is an
 * error rather than silently ignored: a fault test that runs without its faults proves nothing.
 */
export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): SimulatorFaults {
  const out: SimulatorFaults = {};
  for (const [key, name] of Object.entries(SANDBOX_FAULT_ENV) as Array<
    [keyof typeof SANDBOX_FAULT_ENV, string]
  >) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const v = Number(raw);
    const isRate = key !== 'latencyMs';
    if (!Number.isFinite(v) || v < 0 || (isRate && v > 1)) {
      throw new UserError(
        `${name} must be ${isRate ? 'a share between 0 and 1' : 'a number of milliseconds ≥ 0'} (got ${JSON.stringify(raw)})`,
      );
    }
    out[key] = v;
  }
  return out;
}
