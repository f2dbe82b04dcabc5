/** Autotask's default: 10,000 requests per rolling hour per database, shared by every integration. */
export const DEFAULT_HOURLY_THRESHOLD = 10_000;
const WINDOW_MS = 3_600_000;

/** What `GET /__sandbox/threshold` shows and `POST` sets. */
export interface ThresholdSettings {
  /** Requests allowed per rolling hour. */
  limit: number;
  /** Requests counted in the last hour. Setting it fills the window as if they were made now. */
  used: number;
}

/**
 * The hourly request threshold: a rolling 60-minute window of request times. A request over the
 * limit is refused (and not counted); the answer says when the oldest counted request leaves the
 * window. Counted per simulator process (not persisted with the database).
 */
export class RequestThreshold {
  #limit: number;
  #times: number[] = [];
  #head = 0;
  readonly #now: () => number;

  constructor(limit = DEFAULT_HOURLY_THRESHOLD, now: () => number = Date.now) {
    this.#limit = limit;
    this.#now = now;
  }

  #prune(now: number): void {
    while (this.#head < this.#times.length && this.#times[this.#head]! <= now - WINDOW_MS) this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }

  get(): ThresholdSettings {
    this.#prune(this.#now());
    return { limit: this.#limit, used: this.#times.length - this.#head };
  }

  /** Change the limit and/or the count (tests and the console: reach the threshold without 10,000 calls). */
  set(patch: { limit?: unknown; used?: unknown }): ThresholdSettings {
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      if (k !== 'limit' && k !== 'used') throw new Error(`${k} is not a threshold setting (limit, used)`);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || (k === 'limit' && v < 1))
        throw new Error(`${k} must be a whole number${k === 'limit' ? ' ≥ 1' : ' ≥ 0'}`);
    }
    if (typeof patch.limit === 'number') this.#limit = patch.limit;
    if (typeof patch.used === 'number') {
      const now = this.#now();
      this.#times = Array.from({ length: patch.used }, () => now);
      this.#head = 0;
    }
    return this.get();
  }

  /** Count one request, or refuse it: the seconds until there is room again. */
  take(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.#now();
    this.#prune(now);
    if (this.#times.length - this.#head >= this.#limit) {
      const oldest = this.#times[this.#head] ?? now;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) };
    }
    this.#times.push(now);
    return { ok: true };
  }
}

/**
 * Autotask's thread limit: at most 3 requests in flight per integration code and entity endpoint
 * (integrations created since 2023.1); a fourth is answered 429.
 */
export class ThreadLimiter {
  readonly #inFlight = new Map<string, number>();
  constructor(readonly limit = 3) {}

  /** Enter, or false when the key already has `limit` requests in flight. */
  enter(key: string): boolean {
    const n = this.#inFlight.get(key) ?? 0;
    if (n >= this.limit) return false;
    this.#inFlight.set(key, n + 1);
    return true;
  }

  leave(key: string): void {
    const n = (this.#inFlight.get(key) ?? 1) - 1;
    if (n <= 0) this.#inFlight.delete(key);
    else this.#inFlight.set(key, n);
  }
}
