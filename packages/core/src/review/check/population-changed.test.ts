import { describe, expect, it } from 'vitest';
import { BI, decide, PORTAL, reviewFile } from '../fixtures.testing.js';
import { populationChanged } from './population-changed.js';

const world = { current: [PORTAL, BI], declaredActive: new Set<string>(), pending: new Set<string>() };

describe('review.population-changed', () => {
  it('decisions do not change the population', () => {
    const review = reviewFile(
      decide(BI.address, '{decision: keep, reviewer: bob, at: 2026-12-08, comment: ok}'),
    );
    expect(populationChanged({ review, ...world })).toEqual([]);
  });

  it('a permission edited away does, at the recorded hash', () => {
    const review = reviewFile((t) => t.replace('        - "accountsPayable/vendors: list"\n', ''));
    const problems = populationChanged({ review, ...world });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'review.population-changed',
      file: 'reviews/2026-Q4.yaml',
      line: 16,
    });
    expect(problems[0]!.message).toMatch(
      /^the population was edited after roster review start \(its hash is now sha256:[0-9a-f]{64}\): only decisions may be added/,
    );
  });
});
