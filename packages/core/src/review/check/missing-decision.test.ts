import { describe, expect, it } from 'vitest';
import { BI, decide, PORTAL, reviewFile } from '../fixtures.testing.js';
import { missingDecision } from './missing-decision.js';

const world = { current: [PORTAL, BI], declaredActive: new Set<string>(), pending: new Set<string>() };

describe('review.missing-decision', () => {
  it('names each account without a decision at its address line', () => {
    const review = reviewFile(
      decide(PORTAL.address, '{decision: keep, reviewer: bob, at: 2026-12-08, comment: needed}'),
    );
    expect(missingDecision({ review, ...world })).toEqual([
      {
        code: 'review.missing-decision',
        address: BI.address,
        message: `no decision for ${BI.address} (owner data-platform): add decision: {decision: keep|revoke|change, reviewer, at, comment}`,
        file: 'reviews/2026-Q4.yaml',
        line: 18,
        column: 16,
      },
    ]);
  });

  it('is satisfied once every account has one', () => {
    const keep = '{decision: keep, reviewer: bob, at: 2026-12-08, comment: needed}';
    const review = reviewFile((t) => decide(BI.address, keep)(decide(PORTAL.address, keep)(t)));
    expect(missingDecision({ review, ...world })).toEqual([]);
  });
});
