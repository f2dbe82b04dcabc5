import { describe, expect, it } from 'vitest';
import { checkReview } from '../review/check/check-review.js';
import { BI, decide, PORTAL, reviewFile, startedReview } from '../review/fixtures.testing.js';
import { renderReviewCheckText } from './review-check.js';

const world = {
  current: [PORTAL, BI],
  declaredActive: new Set([PORTAL.address, BI.address]),
  pending: new Set<string>(),
};

describe('renderReviewCheckText', () => {
  it('one diagnostic line per problem, then the verdict', () => {
    const review = reviewFile(
      decide(BI.address, '{decision: revoke, reviewer: data-platform, at: 2026-12-08, comment: unused}'),
    );
    const text = renderReviewCheckText(review.review, checkReview({ review, ...world }), { color: false });
    expect(text).toMatchInlineSnapshot(`
      "reviews/2026-Q4.yaml:19:28: error[review.not-enacted]: revoke of intacct-sandbox/ServiceAccount/bi-export (data-platform, 2026-12-08) is not enacted: the manifests still declare it active
      reviews/2026-Q4.yaml:19:46: error[review.self-review]: data-platform reviewed intacct-sandbox/ServiceAccount/bi-export, of which they are the owner: another person must decide
      reviews/2026-Q4.yaml:33:16: error[review.missing-decision]: no decision for intacct-sandbox/ServiceAccount/invoice-portal (owner finance-it): add decision: {decision: keep|revoke|change, reviewer, at, comment}

      Review 2026-Q4 does not pass: 3 problems (1 not-enacted, 1 self-review, 1 missing-decision); 1 of 2 accounts decided."
    `);
  });

  it('says so when the review passes', () => {
    const review = reviewFile(
      decide(BI.address, '{decision: keep, reviewer: bob, at: 2026-12-08, comment: nightly}'),
      startedReview([BI]),
    );
    expect(checkReview({ review, ...world })).toEqual([]);
    expect(renderReviewCheckText(review.review, [], { color: false })).toBe(
      'Review 2026-Q4 passes: 1 account, every decision made and enacted.',
    );
  });
});
