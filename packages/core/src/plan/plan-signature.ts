import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The environment variable holding the key saved plans are signed with (CI: a secret shared by the plan and apply jobs). */
export const PLAN_KEY_ENV = 'ROSTER_PLAN_KEY';

/** The plan key from the environment; an empty value counts as none. */
export function planKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const key = env[PLAN_KEY_ENV];
  return key === undefined || key === '' ? undefined : key;
}

/**
 * `sha256:<hex>` of a plan's canonical text: catches a damaged or hand-edited file, but anyone can
 * recompute it, so it proves nothing about who wrote the plan.
 */
export function planChecksum(canonicalText: string): string {
  return `sha256:${createHash('sha256').update(canonicalText).digest('hex')}`;
}

/**
 * `hmac-sha256:<hex>` of a plan's canonical text under `key`: only a holder of the key can produce
 * it, so the apply job knows the plan is the one the plan job made and a reviewer read.
 */
export function planSignature(canonicalText: string, key: string): string {
  return `hmac-sha256:${createHmac('sha256', key).update(canonicalText).digest('hex')}`;
}

/** Compare two signatures in constant time (a byte-by-byte compare would leak how much matched). */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
