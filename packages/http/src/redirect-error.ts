/** Statuses that ask the client to go elsewhere (`Location`); 304 is not one. */
export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * A redirect roster did not follow. Requests carry credentials (a client secret in a token form,
 * `Authorization`, Autotask's `Secret` header), and a redirect would hand them to whatever host the
 * answer names — over plain HTTP even. The message names the status and the target's scheme, host
 * and port only (a path or query could carry anything).
 */
export class HttpRedirectError extends Error {
  readonly status: number;
  /** `scheme://host[:port]` of the `Location`, or undefined when it had none or it did not parse. */
  readonly target: string | undefined;
  constructor(system: string, what: string, status: number, target: string | undefined, why: string) {
    super(
      `${what}: ${system} answered ${status} (a redirect) to ${target ?? 'no valid location'}; ${why}. Check the endpoint URL: it must be the address that answers itself`,
    );
    this.name = 'HttpRedirectError';
    this.status = status;
    this.target = target;
  }
}

/** The absolute URL a `Location` header points at, relative to the request's URL. */
export function redirectTarget(from: string, location: string | null): URL | undefined {
  if (!location) return undefined;
  try {
    const u = new URL(location, from);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

/** `scheme://host[:port]` of a URL, safe to print: no credentials, path, query or fragment. */
export function origin(u: URL): string {
  return `${u.protocol}//${u.host}`.replace(/[^\x21-\x7e]/g, '?');
}
