/**
 * An error the simulator answers with. Handlers throw it; the server turns it into the wire shape
 * Autotask uses: `{"errors": ["…"]}` for the REST API's own refusals (validation answers 500,
 * bad credentials 401), `{"Message": "…"}` for what ASP.NET routing refuses before the API runs
 * (e.g. a method a path does not support, 405).
 */
export class SimError extends Error {
  readonly status: number;
  readonly shape: 'errors' | 'message';
  readonly headers: Record<string, string>;
  readonly messages: string[];
  constructor(
    status: number,
    messages: string | string[],
    opts: { shape?: 'errors' | 'message'; headers?: Record<string, string> } = {},
  ) {
    const list = Array.isArray(messages) ? messages : [messages];
    super(list.join('; '));
    this.status = status;
    this.messages = list;
    this.shape = opts.shape ?? 'errors';
    this.headers = opts.headers ?? {};
  }
}

/** A request the API understood but refused (Autotask answers these with 500 and `errors`). */
export const refused = (message: string | string[]) => new SimError(500, message);
export const unauthorized = (message: string) => new SimError(401, message);
export const notFound = (message: string) => new SimError(404, message);
/** A bad request to the admin console (the UI would show the message next to the field). */
export const badInput = (message: string | string[]) => new SimError(400, message);
export const methodNotAllowed = (method: string) =>
  new SimError(405, `The requested resource does not support http method '${method}'.`, { shape: 'message' });

/** The JSON body of an error response. */
export function errorBody(err: SimError): Record<string, unknown> {
  return err.shape === 'message' ? { Message: err.message } : { errors: err.messages };
}
