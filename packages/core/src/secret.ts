import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { Diagnostic } from './diagnostics.js';

const REDACTED = '(sensitive)';

/**
 * A credential value read from `${env:…}` or `${file:…}`. It prints, serialises and inspects as
 * `(sensitive)`: only `reveal()` gives the value, so it cannot leak into output, plans or state by
 * accident.
 */
export class Secret {
  readonly #value: string | undefined;
  /** Where the value came from, e.g. `env:INTACCT_CLIENT_SECRET` (safe to print). */
  readonly origin: string;
  /**
   * Why the reference could not be resolved when the manifest was loaded (an unset variable, a
   * missing file), at its manifest line: see `Secret.unresolved`. Never holds a value.
   */
  readonly problem: Diagnostic | undefined;
  /** `value` undefined: the place `origin` names holds nothing yet (see `Secret.pending`). */
  constructor(value: string | undefined, origin: string, problem?: Diagnostic) {
    this.#value = value;
    this.origin = origin;
    this.problem = problem;
  }
  /**
   * A place named by a resource's `credentials` that holds nothing yet: where the secret a system
   * shows once (an API user's secret, a token) is to be stored when the account is created.
   */
  static pending(origin: string): Secret {
    return new Secret(undefined, origin);
  }
  /**
   * A Provider credential whose variable is unset or whose file cannot be read. Not an error by
   * itself: only the set a command signs in with must resolve, and the connection step reports
   * `problem` (the same `file:line:column` error loading used to give) when it is in that set.
   */
  static unresolved(origin: string, problem: Diagnostic): Secret {
    return new Secret(undefined, origin, problem);
  }
  /** Whether the place holds a value (false for `Secret.pending`). */
  get present(): boolean {
    return this.#value !== undefined;
  }
  reveal(): string {
    if (this.#value === undefined)
      throw new Error(this.problem?.message ?? `${this.origin} holds no value yet`);
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

export const SENSITIVE_PLACEHOLDER = REDACTED;

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}

/** A salted HMAC of a sensitive value: lets state notice a change without holding the value. */
export function fingerprintSecret(value: string, salt?: string): string {
  const s = salt ?? randomBytes(16).toString('hex');
  const mac = createHmac('sha256', s).update(value).digest('hex');
  return `hmac-sha256:${s}:${mac}`;
}

/** Whether `value` matches a fingerprint made by `fingerprintSecret`. */
export function matchesFingerprint(value: string, fingerprint: string): boolean {
  const [scheme, salt] = fingerprint.split(':');
  if (scheme !== 'hmac-sha256' || !salt) return false;
  return fingerprintSecret(value, salt) === fingerprint;
}
