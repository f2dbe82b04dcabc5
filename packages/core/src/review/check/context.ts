import type { InventoryAccount } from '../../inventory/types.js';
import type { ParsedReview } from '../parse-file.js';
import type { ReviewItem, ReviewProblem } from '../types.js';

/** What `roster review check` checks a review file against. */
export interface ReviewCheckContext {
  review: ParsedReview;
  /** The accounts as the systems hold them now (the inventory of a fresh refresh). */
  current: readonly InventoryAccount[];
  /** Addresses the manifests declare and do not deactivate. */
  declaredActive: ReadonlySet<string>;
  /** Addresses the plan would change now: manifests edited and not yet applied. */
  pending: ReadonlySet<string>;
}

/** One named check of a review: its problems, each at its line. */
export type ReviewRule = (ctx: ReviewCheckContext) => ReviewProblem[];

/** A problem about the population item `index`, placed at `pointer` under it. */
export function itemProblem(
  ctx: ReviewCheckContext,
  code: string,
  index: number,
  item: ReviewItem,
  pointer: string,
  message: string,
): ReviewProblem {
  return {
    code,
    address: item.address,
    message,
    ...ctx.review.positionOf(`/spec/population/${index}${pointer}`),
  };
}
