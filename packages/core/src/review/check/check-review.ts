import type { ReviewProblem } from '../types.js';
import type { ReviewCheckContext, ReviewRule } from './context.js';
import { missingDecision } from './missing-decision.js';
import { notEnacted } from './not-enacted.js';
import { populationChanged } from './population-changed.js';
import { selfReview } from './self-review.js';

/** The checks of `roster review check`, in the order their problems matter. */
export const REVIEW_RULES: ReadonlyArray<{ code: string; rule: ReviewRule }> = [
  { code: 'review.population-changed', rule: populationChanged },
  { code: 'review.missing-decision', rule: missingDecision },
  { code: 'review.self-review', rule: selfReview },
  { code: 'review.not-enacted', rule: notEnacted },
];

/** Every problem of the review, in file order (a review passes with none). Pure. */
export function checkReview(ctx: ReviewCheckContext): ReviewProblem[] {
  return REVIEW_RULES.flatMap((r) => r.rule(ctx)).sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}
