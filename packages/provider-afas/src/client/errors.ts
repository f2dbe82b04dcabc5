/** What AFAS said about a failed request, from its body (not the deprecated X-PROFIT-ERROR header). */
export interface ParsedError {
  message: string;
  /** `errorNumber` of a 5xx body (often generic). */
  errorNumber: number | undefined;
  /** `profitLogReference`: where AFAS support finds the request in the environment log. */
  logReference: string | undefined;
  /** Seconds a 503 (maintenance) asks to wait, from its body's `retry_after`. */
  retryAfter: number | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

const oneLine = (s: string) => s.replace(/\s*\r?\n\s*/g, ' ').trim();

/** Why a status came without a message (401/403/404 bodies are empty in AFAS's examples). */
const STATUS_MEANING: Record<number, string> = {
  400: 'the request is missing elements',
  401: 'the token was refused: check that credentials.token is a valid token of this environment and its app connector',
  403: "the app connector's IP restriction refuses this address",
  404: 'wrong URL, unknown connector, or a query string over 2049 characters',
  413: 'the request is too large',
  429: 'too many requests',
  500: 'an unexpected error occurred',
  503: 'AFAS Profit is unavailable (maintenance)',
};

/**
 * AFAS's error body in the shapes documented: 5xx `{externalMessage, errorNumber,
 * profitLogReference}`, 503 `{error: {code, message}, retry_after}`. The body is parsed whatever its
 * Content-Type says (AFAS's own examples disagree). An empty body falls back to the header
 * `X-PROFIT-ERROR`, then to what the status means.
 */
export function parseErrorBody(text: string, status: number, headerMessage?: string | null): ParsedError {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  let message: string | undefined;
  let errorNumber: number | undefined;
  let logReference: string | undefined;
  let retryAfter: number | undefined;
  if (isObject(body)) {
    if (typeof body.externalMessage === 'string' && body.externalMessage.trim())
      message = body.externalMessage;
    if (typeof body.errorNumber === 'number') errorNumber = body.errorNumber;
    if (typeof body.profitLogReference === 'string' && body.profitLogReference)
      logReference = body.profitLogReference;
    if (!message && isObject(body.error) && typeof body.error.message === 'string')
      message = body.error.message;
    if (typeof body.retry_after === 'number') retryAfter = body.retry_after;
  }
  if (!message && text && !isObject(body))
    message = text.replace(/\s+/g, ' ').trim().slice(0, 200) || undefined;
  if (!message && headerMessage) message = headerMessage;
  return {
    message: oneLine(message ?? STATUS_MEANING[status] ?? `HTTP ${status} with no error details`),
    errorNumber,
    logReference,
    retryAfter,
  };
}

/**
 * A request AFAS answered with an error status. `message` is one line, safe to print: it never
 * holds a token (only the request's description, the status and AFAS's words).
 */
export class AfasApiError extends Error {
  readonly status: number;
  /** AFAS's own message. */
  readonly apiMessage: string;
  readonly errorNumber: number | undefined;
  readonly logReference: string | undefined;
  /** The request, as a verb phrase. */
  readonly operation: string;
  constructor(what: string, status: number, parsed: ParsedError) {
    super(
      `AFAS Profit ${status >= 500 ? 'failed' : 'refused'} to ${what}: ${parsed.message} (${status}${
        parsed.logReference ? `, profitLogReference ${parsed.logReference}` : ''
      })`,
    );
    this.name = 'AfasApiError';
    this.status = status;
    this.apiMessage = parsed.message;
    this.errorNumber = parsed.errorNumber;
    this.logReference = parsed.logReference;
    this.operation = what;
  }
}

/** A request that never got an HTTP answer (refused, reset, timed out), after its retries. */
export class AfasNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AfasNetworkError';
  }
}
