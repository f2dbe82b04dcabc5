import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

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
  /** `value` undefined: the place `origin` names holds nothing yet (see `Secret.pending`). */
  constructor(value: string | undefined, origin: string) {
    this.#value = value;
    this.origin = origin;
  }
  /**
   * A place named by a resource's `credentials` that holds nothing yet: where the secret a system
   * shows once (an API user's secret, a token) is to be stored when the account is created.
   */
  static pending(origin: string): Secret {
    return new Secret(undefined, origin);
  }
  /** Whether the place holds a value (false for `Secret.pending`). */
  get present(): boolean {
    return this.#value !== undefined;
  }
  reveal(): string {
    if (this.#value === undefined) throw new Error(`${this.origin} holds no value yet`);
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
