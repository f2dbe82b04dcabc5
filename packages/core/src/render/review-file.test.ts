import { describe, expect, it } from 'vitest';
import { startedReview } from '../review/fixtures.testing.js';
import { parseReviewText } from '../review/parse-file.js';
import { renderReviewFile, renderReviewStarted } from './review-file.js';

describe('renderReviewFile', () => {
  it('writes the schema modeline, how to decide, and a document that reads back as written', () => {
    const review = startedReview();
    const text = renderReviewFile(review);
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=https://roster.dev/schemas/review.schema.json',
    );
    expect(text).toContain(
      '#   decision: { decision: keep|revoke|change, reviewer: NAME, at: YYYY-MM-DD, comment: WHY }',
    );
    const parsed = parseReviewText({ path: '/r.yaml', display: 'r.yaml' }, text);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.review?.review).toEqual(review);
  });

  it('says what was started, in numbers a person reads', () => {
    const review = startedReview();
    expect(renderReviewStarted(review, 'reviews/2026-Q4.yaml').split('\n')[0]).toBe(
      'Started review 2026-Q4: 2 accounts (2 managed) in reviews/2026-Q4.yaml',
    );
    expect(renderReviewStarted(startedReview([]), 'r.yaml').split('\n')[0]).toBe(
      'Started review 2026-Q4: 0 accounts in r.yaml',
    );
  });
});
