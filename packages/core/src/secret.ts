import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

const REDACTED = '(sensitive)';

/**
 * A credential value read from `${env:…}` or `${file:…}`. It prints, serialises and inspects as
 * `(sensitive)`: only `reveal()` gives the value, so it cannot leak into output, plans or state by
 * accident.
 */
export class Secret {
  readonly #value: string;
  /** Where the value came from, e.g. `env:INTACCT_CLIENT_SECRET` (safe to print). */
  readonly origin: string;
  constructor(value: string, origin: string) {
    this.#value = value;
    this.origin = origin;
  }
  reveal(): string {
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
