import { createHash } from 'node:crypto';
import { stableStringify } from '../plan/canonical.js';
import type { ReviewItem } from './types.js';

/** `sha256:<hex>` of the canonical JSON of `value` (object keys sorted). */
export function canonicalHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(stableStringify(value)).digest('hex')}`;
}

/**
 * The hash of a review's population: its items without their decisions, in file order. Reviewers
 * add decisions; anything else edited in the population (an account dropped, a permission
 * removed) changes it.
 */
export function populationHash(items: readonly ReviewItem[]): string {
  return canonicalHash(items.map(({ decision: _decision, ...rest }) => rest));
}
