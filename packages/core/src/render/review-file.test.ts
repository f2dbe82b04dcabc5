import { describe, expect, it } from 'vitest';
import { startedReview } from '../review/fixtures.testing.js';
import { parseReviewText } from '../review/parse-file.js';
import { renderReviewFile } from './review-file.js';

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
});
