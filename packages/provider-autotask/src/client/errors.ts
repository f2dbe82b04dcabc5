/**
 * A request Autotask answered with an error status. `message` is one line, safe to print: it never
 * holds a credential (only the request's description, the status and Autotask's words).
 */
export class AutotaskApiError extends Error {
  readonly status: number;
  /** Autotask's messages (`errors[]`, or the ASP.NET `Message`). */
  readonly apiMessages: string[];
  /** The request, as a verb phrase. */
  readonly operation: string;
  /** The body carried Autotask's `errors` list: a deliberate refusal, not a crash (see `isRefusal`). */
  readonly refusal: boolean;
  constructor(what: string, status: number, messages: string[], opts: { refusal?: boolean } = {}) {
    super(describe(what, status, messages));
    this.name = 'AutotaskApiError';
    this.status = status;
    this.apiMessages = messages;
    this.operation = what;
    this.refusal = opts.refusal ?? false;
  }
}

/** A request that never got an HTTP answer (refused, reset, timed out), after its retries. */
export class AutotaskNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AutotaskNetworkError';
  }
}

/**
 * roster stopped before using more of the database's hourly request threshold than the provider's
 * `apiBudget` allows: the threshold is shared with every other integration of the database.
 */
export class AutotaskBudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AutotaskBudgetError';
  }
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

function describe(what: string, status: number, messages: string[]): string {
  const said =
    messages.length > 0 ? messages.map(oneLine).join('; ') : `HTTP ${status} with no error details`;
  if (status === 401) {
    return `Autotask rejected the credentials while trying to ${what}: ${said} (HTTP 401); check the provider's username, secret and integrationCode, and that the API user is active and not locked`;
  }
  // Autotask answers a refused write (validation) with 500 and an `errors` list.
  const verb = status >= 500 && messages.length === 0 ? 'failed' : 'refused';
  return `Autotask ${verb} to ${what}: ${said} (HTTP ${status})`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Autotask's messages from an error body: `{"errors": ["…"]}` (REST validation and auth
 * failures), `{"Message": "…"}` (ASP.NET routing, e.g. a method a path does not support), or the
 * first 200 characters of a text body.
 */
export function parseErrorBody(body: unknown, fallbackText = ''): string[] {
  if (isObject(body)) {
    const errors = body.errors ?? body.Errors;
    if (Array.isArray(errors)) {
      const out = errors
        .map((e) =>
          typeof e === 'string' ? e : isObject(e) && typeof e.message === 'string' ? e.message : '',
        )
        .filter((e) => e !== '');
      if (out.length > 0) return out;
    }
    const m = body.Message ?? body.message;
    if (typeof m === 'string' && m) return [m];
  }
  const text = fallbackText
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return text ? [text] : [];
}

/** True when the body carries Autotask's `errors` list: a deliberate refusal, not a crash to retry. */
export function isRefusal(body: unknown): boolean {
  return isObject(body) && Array.isArray(body.errors ?? body.Errors);
}
