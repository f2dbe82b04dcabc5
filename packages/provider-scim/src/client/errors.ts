/** The SCIM error message schema (RFC 7644 §3.12). */
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/**
 * A request the SCIM server answered with an error status. `message` is one line, safe to print: the
 * request's description, the status, the server's `scimType` and `detail`, never a credential.
 */
export class ScimError extends Error {
  constructor(
    readonly what: string,
    /** The HTTP status (the body's `status` is a string; the header's number wins when they differ). */
    readonly status: number,
    /** RFC 7644 Table 9: `uniqueness`, `mutability`, `invalidFilter`, `noTarget`, … */
    readonly scimType: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(describe(what, status, scimType, detail));
    this.name = 'ScimError';
  }

  /** 409 `uniqueness`: the object exists already (RFC 7644 §3.3). */
  get exists(): boolean {
    return this.status === 409 && (this.scimType === undefined || this.scimType === 'uniqueness');
  }

  /** 412: the object changed since roster read it (If-Match, RFC 7644 §3.14). */
  get changedSinceRead(): boolean {
    return this.status === 412;
  }
}

/** What each `scimType` means to the person reading the error. */
const MEANING: Record<string, string> = {
  uniqueness: 'a value that must be unique is taken',
  mutability: 'the request changes an attribute the server does not let change',
  invalidFilter: 'the server did not accept the filter',
  tooMany: 'the server would return too many results',
  invalidSyntax: 'the server could not parse the request',
  invalidPath: 'the server did not accept an attribute path',
  noTarget: 'a PATCH path matched nothing',
  invalidValue: 'a value is missing or not allowed',
  invalidVers: 'the server does not speak this SCIM version',
  sensitive: 'the request put sensitive data where it may not go',
};

function describe(
  what: string,
  status: number,
  scimType: string | undefined,
  detail: string | undefined,
): string {
  const said = [scimType ? `${scimType} (${MEANING[scimType] ?? 'see RFC 7644 §3.12'})` : '', detail ?? '']
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s !== '')
    .join(': ');
  if (status === 401)
    return `the SCIM server rejected the credentials while trying to ${what} (HTTP 401${said ? `: ${said}` : ''}); check the provider's token or username and password`;
  if (status === 403)
    return `the SCIM server does not let these credentials ${what} (HTTP 403${said ? `: ${said}` : ''})`;
  const verb = status >= 500 ? 'failed' : 'refused';
  return `the SCIM server ${verb} to ${what}: ${said || 'no error details'} (HTTP ${status})`;
}

/**
 * The error an answer carries: `status` is read as a string, as RFC 7644 §3.12 sends it (a number is
 * accepted too); the HTTP status stands when the body has none or a different one.
 */
export function errorOf(what: string, httpStatus: number, body: unknown): ScimError {
  const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const scimType = typeof b.scimType === 'string' && b.scimType !== '' ? b.scimType : undefined;
  const detail =
    typeof b.detail === 'string'
      ? b.detail.slice(0, 300)
      : typeof b.detail === 'number'
        ? String(b.detail)
        : undefined;
  const stated =
    typeof b.status === 'string' || typeof b.status === 'number'
      ? Number.parseInt(String(b.status), 10)
      : NaN;
  const status = Number.isInteger(stated) && stated === httpStatus ? stated : httpStatus;
  return new ScimError(what, status, scimType, detail);
}
