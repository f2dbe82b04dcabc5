import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxFaults } from './provider-sandbox.js';

/** A bad fault switch value; a simulator answers it with its system's 400 error, naming `pointer`. */
export class FaultSwitchError extends Error {
  constructor(
    message: string,
    readonly pointer: string,
  ) {
    super(message);
    this.name = 'FaultSwitchError';
  }
}

/** Fault switches of the simulator: core's `SandboxFaults` plus how long a throttled client must wait. */
export interface SimulatorFaults extends SandboxFaults {
  /** Seconds sent in `Retry-After` with a 429 or 503 (default 1). */
  retryAfterSeconds?: number;
}

/** What happens to one request. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'drop'; when: 'before' | 'after' }
  | { kind: 'throttle' }
  | { kind: 'error'; status: 500 | 503 };

/** Faults injected so far, by kind: what a fault test reports next to what the client saw. */
export interface InjectedFaults {
  /** 500 and 503 answers. */
  errors: number;
  /** 429 answers. */
  throttles: number;
  /** Connections dropped before the request was carried out. */
  dropsBefore: number;
  /** Connections dropped after it was carried out: the client never learns it succeeded. */
  dropsAfter: number;
}

const RATE_KEYS = ['errorRate', 'throttleRate', 'dropRate'] as const;

/**
 * The current switches, changed at start and at run time through `POST /__sandbox/faults`.
 * A dropped connection happens before or after the change is made, at random: after is the case
 * that matters, a client that never learns its create succeeded.
 */
export class FaultSwitch {
  #f: Required<SimulatorFaults> = {
    latencyMs: 0,
    errorRate: 0,
    throttleRate: 0,
    dropRate: 0,
    retryAfterSeconds: 1,
  };
  readonly #random: () => number;
  readonly #injected: InjectedFaults = { errors: 0, throttles: 0, dropsBefore: 0, dropsAfter: 0 };

  constructor(initial: SimulatorFaults = {}, random: () => number = Math.random) {
    this.#random = random;
    this.set(initial);
  }

  get(): Required<SimulatorFaults> {
    return { ...this.#f };
  }

  /** Merge new values; a bad value is a 400 naming it. */
  set(patch: unknown): Required<SimulatorFaults> {
    if (!patch || typeof patch !== 'object' || Array.isArray(patch))
      throw new FaultSwitchError('faults must be an object', '/');
    const p = patch as Record<string, unknown>;
    const next = { ...this.#f };
    for (const [k, v] of Object.entries(p)) {
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw new FaultSwitchError(`${k} must be a number ≥ 0`, `/${k}`);
      if ((RATE_KEYS as readonly string[]).includes(k)) {
        if (v > 1) throw new FaultSwitchError(`${k} is a share of requests, between 0 and 1`, `/${k}`);
        next[k as (typeof RATE_KEYS)[number]] = v;
      } else if (k === 'latencyMs' || k === 'retryAfterSeconds') {
        next[k] = v;
      } else {
        throw new FaultSwitchError(
          `${k} is not a fault switch (latencyMs, errorRate, throttleRate, dropRate, retryAfterSeconds)`,
          `/${k}`,
        );
      }
    }
    this.#f = next;
    return this.get();
  }

  /** Counts of the faults decided so far. */
  injected(): InjectedFaults {
    return { ...this.#injected };
  }

  /**
   * Wait the switched-on latency, then decide this request's fault; `retryAfterSeconds` is the
   * switch a throttle or 503 answer names.
   */
  async strike(): Promise<{ fault: FaultDecision; retryAfterSeconds: number }> {
    const f = this.get();
    if (f.latencyMs > 0) await sleep(f.latencyMs);
    return { fault: this.decide(), retryAfterSeconds: f.retryAfterSeconds };
  }

  decide(): FaultDecision {
    const d = this.#decide();
    if (d.kind === 'drop') this.#injected[d.when === 'before' ? 'dropsBefore' : 'dropsAfter'] += 1;
    else if (d.kind === 'throttle') this.#injected.throttles += 1;
    else if (d.kind === 'error') this.#injected.errors += 1;
    return d;
  }

  #decide(): FaultDecision {
    const f = this.#f;
    if (f.dropRate > 0 && this.#random() < f.dropRate)
      return { kind: 'drop', when: this.#random() < 0.5 ? 'before' : 'after' };
    if (f.throttleRate > 0 && this.#random() < f.throttleRate) return { kind: 'throttle' };
    if (f.errorRate > 0 && this.#random() < f.errorRate)
      return { kind: 'error', status: this.#random() < 0.5 ? 503 : 500 };
    return { kind: 'none' };
  }
}
