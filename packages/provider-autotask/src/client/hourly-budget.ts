import type { Logger } from '@roster/core';
import { AutotaskBudgetError } from './errors.js';

/** `GET /V1.0/ThresholdInformation`. */
export interface ThresholdInfo {
  externalRequestThreshold: number;
  /** Minutes (Autotask's window is a rolling hour: 60). */
  requestThresholdTimeframe: number;
  currentTimeframeRequestCount: number;
}

/** How roster shares a database's hourly request threshold with the other integrations. */
export interface HourlyBudgetOptions {
  /** Share (0–1] of what is left in the window that roster may use (`--api-budget`, default 0.5). */
  share: number;
  /** Read `ThresholdInformation` before the first request and then every this many (0: never, no budget). */
  checkEvery: number;
  /** When the budget is spent, wait for the window to free roster's requests if that takes at most this long. */
  maxWaitMs: number;
  /** Pause before each request once the database is past half its threshold. */
  paceMs: number;
  /** Read the threshold (a request of its own, which the budget counts). */
  read: () => Promise<ThresholdInfo>;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  log?: Logger;
}

/** The budget roster took when it first looked at the threshold in this window. */
interface Window {
  startedAt: number;
  timeframeMs: number;
  limit: number;
  /** Requests all integrations had made in the window when roster looked first. */
  usedAtStart: number;
  /** Requests roster may make in this window. */
  allowance: number;
  /** Requests roster has made since. */
  used: number;
  /** The database's count at the last read, plus roster's requests since (for pacing). */
  countNow: number;
}

/**
 * Autotask's request threshold (10,000 per rolling hour) is shared by every integration of a
 * database, and requests past it are refused for all of them. roster therefore takes only a share
 * of what is left when it starts — `share × (threshold − used)` — and counts its own requests
 * against it. Re-reading the threshold every `checkEvery` requests can only shrink the allowance
 * (when other integrations used more meanwhile), never grow it, so roster's total stays within its
 * share. Past the allowance it stops with one message — or, when the window frees roster's
 * requests within `maxWaitMs`, waits for that and starts a new window.
 */
export class HourlyBudget {
  readonly #o: HourlyBudgetOptions;
  #window: Window | undefined;
  #sinceRead = 0;
  #read = false;
  #readPending: Promise<void> | undefined;
  #paceNoted = false;

  constructor(opts: HourlyBudgetOptions) {
    if (!(opts.share > 0) || opts.share > 1) throw new Error('apiBudget must be in (0, 1]');
    this.#o = opts;
  }

  /** The current window, for messages and tests. */
  snapshot(): Readonly<Window> | undefined {
    return this.#window ? { ...this.#window } : undefined;
  }

  /** Account for one request about to be sent: may wait, pace, or throw `AutotaskBudgetError`. */
  async take(): Promise<void> {
    if (this.#o.checkEvery <= 0) return;
    if (!this.#read || this.#sinceRead >= this.#o.checkEvery) await this.#refresh();
    const w = this.#window;
    if (!w) return;
    if (w.used + 1 > w.allowance) {
      const resetAt = w.startedAt + w.timeframeMs;
      const waitMs = resetAt - this.#o.now();
      if (waitMs <= this.#o.maxWaitMs) {
        this.#o.log?.debug(
          `autotask: API budget of ${w.allowance} requests spent; the window frees them in ${Math.ceil(Math.max(0, waitMs) / 1000)} s: waiting`,
        );
        await this.#o.sleep(Math.max(0, waitMs));
        this.#window = undefined;
        this.#read = false;
        return this.take();
      }
      throw new AutotaskBudgetError(this.#message(w, resetAt));
    }
    w.used += 1;
    w.countNow += 1;
    this.#sinceRead += 1;
    if (w.countNow / w.limit >= 0.5 && this.#o.paceMs > 0) {
      if (!this.#paceNoted) {
        this.#paceNoted = true;
        this.#o.log?.debug(
          `autotask: ${Math.round((w.countNow / w.limit) * 100)}% of the hourly threshold used; pacing requests by ${this.#o.paceMs} ms`,
        );
      }
      await this.#o.sleep(this.#o.paceMs);
    }
  }

  #message(w: Window, resetAt: number): string {
    const inMin = Math.max(1, Math.ceil((resetAt - this.#o.now()) / 60_000));
    const at = new Date(resetAt).toISOString().slice(11, 16);
    const left = Math.max(0, w.limit - w.usedAtStart);
    return (
      `Autotask API budget spent: roster has made ${w.used} ${w.used === 1 ? 'request' : 'requests'} in this hour, its budget of ${w.allowance} ` +
      `(--api-budget ${this.#o.share} of the ${left} requests left of the database's hourly threshold of ${w.limit}), ` +
      `and stops rather than starve the database's other integrations. The rolling window frees roster's requests by ` +
      `${at} UTC (in ${inMin} min): run again then, or raise --api-budget`
    );
  }

  async #refresh(): Promise<void> {
    this.#readPending ??= this.#readOnce().finally(() => {
      this.#readPending = undefined;
    });
    await this.#readPending;
  }

  async #readOnce(): Promise<void> {
    let t: ThresholdInfo;
    try {
      t = await this.#o.read();
    } catch (err) {
      // Not every API user may read it; the threshold is then kept by Autotask's own 429s.
      this.#o.log?.debug(`autotask: threshold not readable (${(err as Error).message})`);
      this.#window = undefined;
      this.#read = true;
      this.#sinceRead = 0;
      return;
    }
    this.#read = true;
    this.#sinceRead = 0;
    if (!(t.externalRequestThreshold > 0)) {
      this.#window = undefined;
      return;
    }
    const left = Math.max(0, t.externalRequestThreshold - t.currentTimeframeRequestCount);
    const mine = Math.floor(this.#o.share * left);
    const w = this.#window;
    if (!w) {
      this.#window = {
        startedAt: this.#o.now(),
        timeframeMs: (t.requestThresholdTimeframe > 0 ? t.requestThresholdTimeframe : 60) * 60_000,
        limit: t.externalRequestThreshold,
        usedAtStart: t.currentTimeframeRequestCount,
        allowance: mine,
        used: 0,
        countNow: t.currentTimeframeRequestCount,
      };
      this.#o.log?.debug(
        `autotask: hourly threshold ${t.currentTimeframeRequestCount} of ${t.externalRequestThreshold} used; roster's budget: ${mine} requests (--api-budget ${this.#o.share})`,
      );
      return;
    }
    // Others may have used more meanwhile: the allowance shrinks to a share of what is left now.
    w.allowance = Math.min(w.allowance, w.used + mine);
    // The read itself was one of roster's requests.
    w.used += 1;
    w.countNow = t.currentTimeframeRequestCount;
    w.limit = t.externalRequestThreshold;
  }
}
