import pLimit, { type LimitFunction } from 'p-limit';
import pRetry, { AbortError } from 'p-retry';
import { backoffDelay } from './backoff.js';
import { HttpNetworkError } from './network-error.js';
import { OutcomeUnknownError } from './outcome-unknown-error.js';
import { HttpRedirectError, origin, REDIRECT_STATUSES, redirectTarget } from './redirect-error.js';
import { retryAfterMs } from './retry-after.js';
import { type AttemptResult, sendOnce } from './transport.js';
import type { HttpClientOptions, HttpReply, HttpRequest, HttpStats } from './types.js';

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** Headers a request that follows redirects may carry: none of them is a credential. */
const REDIRECT_SAFE_HEADERS = new Set(['accept', 'accept-language', 'user-agent']);
const MAX_REDIRECTS = 5;
/** Statuses that say the server did not process the request: safe to repeat, whatever the method. */
const NOT_PROCESSED = new Set([429, 503]);

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Thrown inside an attempt to ask p-retry for another one; carries what the attempt got. */
class RetrySignal extends Error {
  constructor(
    readonly reason: string,
    readonly reply: HttpReply | undefined,
    readonly askedMs: number | undefined,
  ) {
    super(reason);
  }
}

/** What the attempts of one request have learnt so far. */
interface RequestState {
  /** An attempt may have been carried out (its answer lost, or a 5xx). */
  uncertain: boolean;
  /** The last transport failure. */
  reason: string;
  attempts: number;
}

type Settings = Required<Omit<HttpClientOptions, 'onRetry'>> & Pick<HttpClientOptions, 'onRetry'>;

/**
 * roster's HTTP layer, one per provider connection: a timeout per attempt, retries through
 * p-retry with exponential back-off and full jitter, `Retry-After`, a concurrency limit
 * (p-limit), and counters.
 *
 * Rules, in order:
 * - 429 and 503 mean "not processed": retried for every method, after the `Retry-After` wait
 *   (plus a little jitter) or the back-off. A wait longer than `maxDelayMs` is not slept: the
 *   answer is returned (with `retryAfterMs`) for the caller to report.
 * - Other 5xx the request calls `transient`, and transport failures (reset, timeout): retried when
 *   the request is idempotent. When it is not (a create), `OutcomeUnknownError` is thrown at once —
 *   never a blind second send; a connection refused before sending is retried, as nothing was sent.
 * - A redirect (301, 302, 303, 307, 308) is never followed with credentials: it is an
 *   `HttpRedirectError` naming the status and the target's origin, not retried. Only a request
 *   marked `followRedirects` (a GET with no credentials) follows, at most 5 hops, never https → http.
 * - Anything else is returned as is: the caller turns statuses into its own errors.
 * - When attempts or `maxTotalDelayMs` run out, the last answer is returned, or
 *   `HttpNetworkError` thrown if there was none.
 */
export class HttpClient {
  readonly #o: Settings;
  readonly #limit: LimitFunction;
  readonly #byKey = new Map<string, LimitFunction>();
  readonly #stats: HttpStats = {
    apiCalls: 0,
    throttled: 0,
    retries: 0,
    networkErrors: 0,
    serverErrors: 0,
    outcomeUnknown: 0,
  };

  constructor(opts: HttpClientOptions = {}) {
    this.#o = {
      system: 'the server',
      maxAttempts: 6,
      baseDelayMs: 500,
      maxDelayMs: 60_000,
      maxTotalDelayMs: 300_000,
      timeoutMs: 60_000,
      concurrency: 8,
      keyConcurrency: Number.POSITIVE_INFINITY,
      retryAfterHeaders: ['retry-after'],
      sleep: defaultSleep,
      random: Math.random,
      fetch: (...args: Parameters<typeof fetch>) => globalThis.fetch(...args),
      now: Date.now,
      ...stripUndefined(opts),
    };
    if (!Number.isInteger(this.#o.maxAttempts) || this.#o.maxAttempts < 1)
      throw new Error('maxAttempts must be a whole number ≥ 1');
    this.#limit = pLimit(Math.max(1, this.#o.concurrency));
  }

  /** Counters since this client was made. */
  stats(): HttpStats {
    return { ...this.#stats };
  }

  /** The back-off wait before retry number `retry`, for callers that repeat at a higher level. */
  backoff(retry: number): number {
    return backoffDelay(retry, this.#o, this.#o.random);
  }

  /** Wait, through the injectable sleep. */
  sleep(ms: number): Promise<void> {
    return this.#o.sleep(ms);
  }

  /** Send `req` under the rules above. */
  async request(req: HttpRequest): Promise<HttpReply> {
    const method = req.method.toUpperCase();
    const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(method);
    if (req.followRedirects) {
      const unsafe = Object.keys(req.headers ?? {}).filter(
        (h) => !REDIRECT_SAFE_HEADERS.has(h.toLowerCase()),
      );
      if (method !== 'GET' || req.body !== undefined || unsafe.length > 0)
        throw new Error(
          `${req.what}: only a GET without a body or credential headers may follow redirects${unsafe.length > 0 ? ` (it has ${unsafe.join(', ')})` : ''}`,
        );
    }
    const state: RequestState = { uncertain: false, reason: '', attempts: 0 };
    let waited = 0;
    const attempt = async (n: number): Promise<HttpReply> => {
      await req.beforeAttempt?.();
      state.attempts = n;
      let url = req.url;
      for (let hops = 0; ; hops++) {
        const target = url;
        const r = await this.#limited(req.limitKey, () => {
          this.#stats.apiCalls += 1;
          return sendOnce(
            this.#o.fetch,
            target,
            {
              method,
              headers: req.headers ?? {},
              ...(req.body !== undefined ? { body: req.body } : {}),
            },
            this.#o.timeoutMs,
          );
        });
        if (r.kind === 'reply' && REDIRECT_STATUSES.has(r.status)) {
          url = this.#redirect(req, target, r.status, r.headers.get('location'), hops);
          continue;
        }
        return this.#judge(req, r, n, idempotent, state);
      }
    };
    try {
      return await pRetry(attempt, {
        retries: this.#o.maxAttempts - 1,
        // p-retry counts attempts and stops; the waits are ours (Retry-After, full jitter,
        // injectable sleep), so its own timer is zero.
        minTimeout: 0,
        maxTimeout: 0,
        randomize: false,
        shouldRetry: async ({ error, attemptNumber }) => {
          if (!(error instanceof RetrySignal)) return false;
          let wait: number;
          if (error.askedMs !== undefined) {
            if (error.askedMs > this.#o.maxDelayMs) return false;
            // At least what the server asked, plus a little jitter so clients do not return together.
            wait = Math.min(
              this.#o.maxDelayMs,
              error.askedMs + this.#o.random() * Math.min(1000, this.#o.baseDelayMs),
            );
          } else {
            wait = this.backoff(attemptNumber);
          }
          if (waited + wait > this.#o.maxTotalDelayMs) return false;
          waited += wait;
          this.#stats.retries += 1;
          this.#o.onRetry?.({ what: req.what, reason: error.reason, attempt: attemptNumber, waitMs: wait });
          await this.#o.sleep(wait);
          return true;
        },
      });
    } catch (err) {
      if (err instanceof RetrySignal) {
        if (err.reply) {
          return {
            ...err.reply,
            ...(err.askedMs !== undefined ? { retryAfterMs: err.askedMs } : {}),
          };
        }
        throw new HttpNetworkError(req.what, state.reason || err.reason, state.attempts);
      }
      throw err;
    }
  }

  /** Decide what one attempt's result means: an answer to return, a retry, or an unknown outcome. */
  #judge(req: HttpRequest, r: AttemptResult, n: number, idempotent: boolean, state: RequestState): HttpReply {
    if (r.kind === 'network') {
      this.#stats.networkErrors += 1;
      state.reason = r.reason;
      if (r.sent && !idempotent) this.#unknown(req, r.reason);
      if (r.sent) state.uncertain = true;
      throw new RetrySignal(r.reason, undefined, undefined);
    }
    const reply: HttpReply = {
      status: r.status,
      headers: r.headers,
      text: r.text,
      attempts: n,
      uncertain: state.uncertain,
    };
    if (NOT_PROCESSED.has(r.status)) {
      this.#stats.throttled += 1;
      const fromBody = req.retryAfterFromBody?.(reply);
      const asked =
        retryAfterMs(r.headers, this.#o.retryAfterHeaders, this.#o.now()) ??
        // A body value that is not a number of ms ≥ 0 is ignored, as a garbled header is.
        (fromBody !== undefined && Number.isFinite(fromBody) && fromBody >= 0 ? fromBody : undefined);
      throw new RetrySignal(`HTTP ${r.status}`, reply, asked);
    }
    if (r.status >= 500) {
      this.#stats.serverErrors += 1;
      if (req.transient && !req.transient(reply)) return reply;
      if (!idempotent) this.#unknown(req, `HTTP ${r.status}`, reply);
      state.uncertain = true;
      throw new RetrySignal(`HTTP ${r.status}`, reply, undefined);
    }
    return reply;
  }

  /**
   * Where a redirect leads, when this request may follow it; otherwise the request ends with an
   * `HttpRedirectError` (wrapped so p-retry stops: asking again would get the same answer).
   */
  #redirect(req: HttpRequest, from: string, status: number, location: string | null, hops: number): string {
    const to = redirectTarget(from, location);
    const refuse = (why: string): never => {
      throw new AbortError(
        new HttpRedirectError(this.#o.system, req.what, status, to ? origin(to) : undefined, why),
      );
    };
    if (!req.followRedirects) refuse('roster does not follow redirects: the request carries credentials');
    if (!to) refuse('the redirect names no http(s) location');
    if (new URL(from).protocol === 'https:' && to!.protocol !== 'https:')
      refuse('roster never follows a redirect from https to plain http');
    if (hops >= MAX_REDIRECTS) refuse(`more than ${MAX_REDIRECTS} redirects`);
    return to!.href;
  }

  #unknown(req: HttpRequest, reason: string, reply?: HttpReply): never {
    this.#stats.outcomeUnknown += 1;
    // AbortError: p-retry stops at once and rethrows the error it wraps.
    throw new AbortError(new OutcomeUnknownError(this.#o.system, req.what, reason, reply));
  }

  #limited<T>(key: string | undefined, fn: () => Promise<T>): Promise<T> {
    if (key === undefined || !Number.isFinite(this.#o.keyConcurrency)) return this.#limit(fn);
    let l = this.#byKey.get(key);
    if (!l) {
      l = pLimit(Math.max(1, this.#o.keyConcurrency));
      this.#byKey.set(key, l);
    }
    const perKey = l;
    return perKey(() => this.#limit(fn));
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
