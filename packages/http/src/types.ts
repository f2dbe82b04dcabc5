/** Settings of one `HttpClient` (one provider connection). */
export interface HttpClientOptions {
  /** The system's name in messages, e.g. `Intacct` (default `the server`). */
  system?: string;
  /** Attempts per request, the first included (default 6). */
  maxAttempts?: number;
  /** Mean first back-off wait; it doubles per retry, with full jitter (default 500 ms). */
  baseDelayMs?: number;
  /**
   * Longest single wait (default 60 s). A `Retry-After` asking for longer is not waited for: the
   * answer is returned so the caller reports it (an hourly threshold, hours of maintenance).
   */
  maxDelayMs?: number;
  /** Longest total of the waits of one request; past it the last answer or failure stands (default 5 min). */
  maxTotalDelayMs?: number;
  /** Per-attempt timeout, covering the answer's body too (default 60 s). */
  timeoutMs?: number;
  /** Requests in flight at once through this client (default 8). */
  concurrency?: number;
  /** Requests in flight at once per `HttpRequest.limitKey` (default: no limit per key). */
  keyConcurrency?: number;
  /** Headers that carry a wait, first match wins (default `retry-after`). */
  retryAfterHeaders?: readonly string[];
  /** Injectable for tests: waits, randomness, transport, clock. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
  now?: () => number;
  /** Told about every retry (for debug logs; it never sees headers or bodies). */
  onRetry?: (event: RetryEvent) => void;
}

/** A retry about to happen. */
export interface RetryEvent {
  what: string;
  /** `HTTP 503`, or a transport reason such as `ECONNRESET`. */
  reason: string;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  waitMs: number;
}

/** One request. */
export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Describes the request in messages, e.g. `create company-config/user WS_X`. */
  what: string;
  /**
   * Safe to send again when its outcome is unknown. Default: true for GET, HEAD, OPTIONS, PUT,
   * DELETE; false for POST and PATCH. Mark a POST idempotent when it only reads (a query
   * endpoint) or carries an Idempotency-Key the server honours; a PATCH that sets absolute values.
   */
  idempotent?: boolean;
  /** Requests sharing a key share `keyConcurrency` (Autotask: per entity endpoint). */
  limitKey?: string;
  /**
   * For 500, 502, 504 (and other 5xx but 503): whether this answer is a passing failure worth
   * another attempt (default true). A system that reports a refusal as 500 (Autotask's
   * validation errors, AFAS's unknown fields) answers false: it would fail the same way again.
   */
  transient?: (reply: HttpReply) => boolean;
  /** A wait the answer asks for in its body (ms), when it has no header for it. */
  retryAfterFromBody?: (reply: HttpReply) => number | undefined;
  /**
   * Follow redirects (301, 302, 303, 307, 308; at most 5, never from https to http). Only for a GET
   * that carries no credentials — no body, and no header but `accept`, `accept-language` and
   * `user-agent` — such as Autotask's zone lookup; the client refuses to send any other request
   * so. Without it (the default) a redirect is an `HttpRedirectError`: a request that carries a
   * secret never goes to a host its answer names.
   */
  followRedirects?: boolean;
  /** Run before every attempt, e.g. a rate budget check; its error ends the request. */
  beforeAttempt?: () => Promise<void>;
}

/** The answer the caller gets: every status, as the caller decides what an error is. */
export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
  /** Attempts made, this one included. */
  attempts: number;
  /** An earlier attempt may have been carried out (its answer was lost, or it got a 5xx). */
  uncertain: boolean;
  /** When the answer is a 429/503 that was not retried: the wait it asked for, in ms. */
  retryAfterMs?: number;
}

/** Counters for the plan's `stats`. */
export interface HttpStats {
  /** Requests sent, retries included. */
  apiCalls: number;
  /** Answers 429 or 503: the server refused the request unprocessed. */
  throttled: number;
  /** Retries made (any reason). */
  retries: number;
  /** Attempts that got no HTTP answer. */
  networkErrors: number;
  /** 5xx answers other than 503. */
  serverErrors: number;
  /** Requests not safe to repeat whose outcome was left unknown. */
  outcomeUnknown: number;
}
