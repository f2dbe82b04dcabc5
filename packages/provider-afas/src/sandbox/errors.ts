import { randomBytes } from 'node:crypto';

/**
 * An error the simulator answers with. Handlers throw it; the server turns it into AFAS's wire
 * shape: an empty body (AFAS's 401/403/404 examples have `Content-Length: 0`), the 5xx body
 * `{externalMessage, errorNumber, profitLogReference}` (plus the deprecated `X-PROFIT-ERROR`
 * header), or the 503 maintenance body `{error: {code, message}, retry_after}`.
 */
export class SimError extends Error {
  readonly status: number;
  /** Send no body (the message is only for the console and tests' eyes). */
  readonly empty: boolean;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    message: string,
    opts: { empty?: boolean; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.empty = opts.empty ?? false;
    this.headers = opts.headers ?? {};
  }
}

/** A functional or validation error: AFAS answers these with 500 and a message. */
export const refused = (message: string) => new SimError(500, message);
/** 400: the request is missing elements. */
export const badRequest = (message: string) => new SimError(400, message);
/** 404 with no body: a wrong URL. */
export const notFound = (message = 'not found') => new SimError(404, message, { empty: true });
/** 401 with no body: no token, or one AFAS does not know. */
export const unauthorized = (message = 'the token is not valid') =>
  new SimError(401, message, { empty: true });
/** 401 with a message: a valid token that may not do this (the connector is blocked, …). */
export const forbidden = (message: string) => new SimError(401, message);

/** The wire form of an error: status, headers and body text. */
export function errorReply(err: SimError): {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
} {
  if (err.empty) return { status: err.status, headers: err.headers };
  if (err.status === 503) {
    const retryAfter = Number(err.headers['retry-after'] ?? 1);
    return {
      status: 503,
      headers: err.headers,
      body: { error: { code: '503', message: err.message }, retry_after: retryAfter },
    };
  }
  return {
    status: err.status,
    headers: { 'x-profit-error': headerSafe(err.message), ...err.headers },
    body: {
      externalMessage: err.message,
      errorNumber: -1,
      profitLogReference: randomBytes(16).toString('hex').toUpperCase(),
    },
  };
}

/** Header values must be Latin-1 without line breaks. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** A console (admin) error: plain JSON `{error}` with a status the console chooses. */
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
