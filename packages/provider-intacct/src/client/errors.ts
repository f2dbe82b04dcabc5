/** One problem reported in `ia::error.details`. */
export interface IntacctErrorDetail {
  code?: string;
  message: string;
  target?: string;
}

/**
 * A request Intacct answered with an error status. `message` is one line, safe to print: it never
 * holds a token or a credential (only the request's description, the status and Intacct's words).
 */
export class IntacctApiError extends Error {
  readonly status: number;
  /** `ia::error.code` (e.g. `invalidRequest`), or the OAuth2 `error`. */
  readonly code: string | undefined;
  readonly errorId: string | undefined;
  /** Intacct's own message, with details joined in. */
  readonly apiMessage: string;
  readonly details: IntacctErrorDetail[];
  /** The request, as a verb phrase. */
  readonly operation: string;
  constructor(what: string, status: number, parsed: ParsedError) {
    // `what` is a verb phrase ("delete user WS_X"): the message reads "Intacct refused to delete user WS_X: …".
    super(
      `Intacct ${status >= 500 ? 'failed' : 'refused'} to ${what}: ${oneLine(parsed.message)} (${statusText(status, parsed.code)})`,
    );
    this.name = 'IntacctApiError';
    this.status = status;
    this.code = parsed.code;
    this.errorId = parsed.errorId;
    this.apiMessage = oneLine(parsed.message);
    this.details = parsed.details;
    this.operation = what;
  }
  /** `(<status> <code>)` as printed at the end of messages. */
  get statusText(): string {
    return statusText(this.status, this.code);
  }
}

/** A request that never got an HTTP answer (refused, reset, timed out), after its retries. */
export class IntacctNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntacctNetworkError';
  }
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

function statusText(status: number, code: string | undefined): string {
  return code ? `${status} ${code}` : String(status);
}

export interface ParsedError {
  message: string;
  code: string | undefined;
  errorId: string | undefined;
  details: IntacctErrorDetail[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Intacct's error body in any of the shapes seen: `ia::result.ia::error` (documented),
 * a top-level `ia::error` (gateway answers such as 401 and 429), `error` as an object
 * (`{code, message}`), or the OAuth2 form (`error` a string, `error_description`).
 */
export function parseErrorBody(body: unknown, status: number, fallbackText = ''): ParsedError {
  let e: unknown;
  if (isObject(body)) {
    const result = body['ia::result'];
    if (isObject(result) && isObject(result['ia::error'])) e = result['ia::error'];
    else if (Array.isArray(result))
      e = result.map((r) => (isObject(r) ? r['ia::error'] : undefined)).find(isObject);
    if (!e && isObject(body['ia::error'])) e = body['ia::error'];
    if (!e && isObject(body.error)) e = body.error;
    if (!e && typeof body.error === 'string') {
      const desc = typeof body.error_description === 'string' ? body.error_description : body.error;
      return { message: desc, code: body.error, errorId: undefined, details: [] };
    }
  }
  if (!isObject(e)) {
    const text = fallbackText.replace(/\s+/g, ' ').trim().slice(0, 200);
    return {
      message: text || `HTTP ${status} with no error details`,
      code: undefined,
      errorId: undefined,
      details: [],
    };
  }
  const details: IntacctErrorDetail[] = Array.isArray(e.details)
    ? e.details.filter(isObject).map((d) => ({
        message: String(d.message ?? ''),
        ...(typeof d.code === 'string' ? { code: d.code } : {}),
        ...(typeof d.target === 'string' ? { target: d.target } : {}),
      }))
    : [];
  const main = typeof e.message === 'string' && e.message ? e.message : `HTTP ${status}`;
  // Details often say what the headline only summarises ("Payload contains errors").
  const extra = details.map((d) => d.message).filter((m) => m && m !== main);
  return {
    message: extra.length > 0 ? `${main}: ${extra.join('; ')}` : main,
    code: typeof e.code === 'string' ? e.code : undefined,
    errorId: typeof e.errorId === 'string' ? e.errorId : undefined,
    details,
  };
}
