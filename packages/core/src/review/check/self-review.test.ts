import { describe, expect, it } from 'vitest';
import { BI, decide, PORTAL, reviewFile } from '../fixtures.testing.js';
import { selfReview } from './self-review.js';

const world = { current: [PORTAL, BI], declaredActive: new Set<string>(), pending: new Set<string>() };
const by = (reviewer: string) => `{decision: keep, reviewer: ${reviewer}, at: 2026-12-08, comment: ok}`;

describe('review.self-review', () => {
  it("refuses the account's owner, and its backup owner, at the reviewer", () => {
    const review = reviewFile((t) =>
      decide(BI.address, by('Data-Platform'))(decide(PORTAL.address, by('jane'))(t)),
    );
    const problems = selfReview({ review, ...world });
    expect(problems.map((p) => [p.address, p.message, p.line])).toEqual([
      [
        BI.address,
        `Data-Platform reviewed ${BI.address}, of which they are the owner: another person must decide`,
        19,
      ],
      [
        PORTAL.address,
        `jane reviewed ${PORTAL.address}, of which they are the backup owner: another person must decide`,
        34,
      ],
    ]);
  });

  it('accepts another person', () => {
    const review = reviewFile(decide(PORTAL.address, by('auditor-bob')));
    expect(selfReview({ review, ...world })).toEqual([]);
  });
});
