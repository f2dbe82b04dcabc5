import { randomBytes } from 'node:crypto';

/** One entry of `ia::error.details`: a problem with one part of the request. */
export interface SimErrorDetail {
  code: string;
  message: string;
  /** JSON pointer into the request body, e.g. `/contact/id`. */
  target?: string;
}

/**
 * An error the simulator answers with. Handlers throw it; the server turns it into the wire
 * shape Intacct uses (`ia::error` inside `ia::result`, or at top level for gateway errors).
 */
export class SimError extends Error {
  readonly status: number;
  readonly code: string;
  readonly target: string | undefined;
  readonly details: SimErrorDetail[];
  /**
   * Where the error sits in the body. Sage documents `ia::result.ia::error`; gateway-level
   * answers (401, 429) have been seen with `ia::error` at the top level, so the simulator uses
   * both and clients must parse both.
   */
  readonly shape: 'nested' | 'top';
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: string,
    message: string,
    opts: {
      target?: string;
      details?: SimErrorDetail[];
      shape?: 'nested' | 'top';
      headers?: Record<string, string>;
    } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.target = opts.target;
    this.details = opts.details ?? [];
    this.shape = opts.shape ?? 'nested';
    this.headers = opts.headers ?? {};
  }
}

export const badRequest = (message: string, target?: string, details?: SimErrorDetail[]) =>
  new SimError(400, 'invalidRequest', message, {
    ...(target !== undefined ? { target } : {}),
    ...(details ? { details } : {}),
  });
export const notFound = (message: string) => new SimError(404, 'notFound', message);
export const conflict = (message: string, target?: string) =>
  new SimError(409, 'conflict', message, target !== undefined ? { target } : {});
/** A business rule refused the change (Intacct answers these with 422). */
export const refused = (message: string, target?: string) =>
  new SimError(422, 'operationFailed', message, target !== undefined ? { target } : {});
export const methodNotAllowed = (method: string, what: string) =>
  new SimError(405, 'methodNotAllowed', `${method} is not allowed on ${what}`);

/** The JSON body of an error response, in Intacct's envelope. */
export function errorBody(err: SimError): Record<string, unknown> {
  const error: Record<string, unknown> = {
    code: err.code,
    message: err.message,
    errorId: `SIM-${err.status}`,
    supportId: randomBytes(6).toString('hex'),
    additionalInfo: { messageId: `IA.${err.code.toUpperCase()}`, placeholders: {}, propertySet: {} },
  };
  const details = err.target
    ? [{ code: err.code, message: err.message, target: err.target }, ...err.details]
    : err.details;
  if (details.length > 0) error.details = details;
  if (err.shape === 'top') return { 'ia::error': error };
  return {
    'ia::result': { 'ia::error': error },
    'ia::meta': { totalCount: 1, totalSuccess: 0, totalError: 1 },
  };
}
