import { describe, expect, it } from 'vitest';
import { renderReviewFile } from '../render/review-file.js';
import { BI, startedReview } from './fixtures.testing.js';
import { parseReviewText } from './parse-file.js';

const file = { path: '/p/reviews/2026-Q4.yaml', display: 'reviews/2026-Q4.yaml' };
const parse = (edit: (t: string) => string) => parseReviewText(file, edit(renderReviewFile(startedReview())));
const lines = (r: ReturnType<typeof parse>) =>
  r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.code}: ${d.message}`);

describe('parseReviewText', () => {
  it('places a bad decision at its line', () => {
    const r = parse((t) =>
      t.replace(
        `- address: ${BI.address}\n`,
        `- address: ${BI.address}\n      decision: {decision: drop, reviewer: bob, at: 2026-12-08, comment: x}\n`,
      ),
    );
    expect(r.review).toBeUndefined();
    expect(lines(r)).toEqual([
      'reviews/2026-Q4.yaml:19:28: review.file: spec.population[0].decision.decision must be one of: keep, revoke, change',
    ]);
  });

  it('names a misspelt key, and a decision without its comment', () => {
    const r = parse((t) =>
      t.replace(`- address: ${BI.address}\n`, `- address: ${BI.address}\n      decison: {decision: keep}\n`),
    );
    expect(lines(r)).toEqual([
      expect.stringMatching(
        /^reviews\/2026-Q4\.yaml:19:7: review\.file: unknown field spec\.population\[0\]\.decison/,
      ),
    ]);
    const noComment = parse((t) =>
      t.replace(
        `- address: ${BI.address}\n`,
        `- address: ${BI.address}\n      decision: {decision: keep, reviewer: bob, at: 2026-12-08}\n`,
      ),
    );
    expect(lines(noComment)).toEqual([
      expect.stringMatching(
        /^reviews\/2026-Q4\.yaml:19:7: review\.file: missing required field spec\.population\[0\]\.decision\.comment/,
      ),
    ]);
  });

  it('reports broken YAML once, at its line, and an empty file', () => {
    const r = parse((t) => t.replace('  period: 2026-Q4\n', '  period: [2026-Q4\n'));
    expect(r.review).toBeUndefined();
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics[0]).toMatchObject({ file: 'reviews/2026-Q4.yaml', code: 'manifest.yaml' });
    expect(parseReviewText(file, '# nothing\n').diagnostics).toEqual([
      {
        severity: 'error',
        code: 'review.file',
        message: 'the review file is empty',
        file: 'reviews/2026-Q4.yaml',
        line: 1,
        column: 1,
      },
    ]);
  });

  it('refuses an account listed twice', () => {
    const review = startedReview();
    review.spec.population.push(review.spec.population[0]!);
    const r = parseReviewText(file, renderReviewFile(review));
    expect(lines(r)).toEqual([
      `reviews/2026-Q4.yaml:49:16: review.file: ${BI.address} is in the population twice; the first is at line 18`,
    ]);
  });
});
