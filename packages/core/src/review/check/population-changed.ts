import { populationHash } from '../hash.js';
import type { ReviewRule } from './context.js';

/**
 * `review.population-changed`: the population is frozen at the start; only decisions may be
 * added. An account dropped or a permission edited away changes the hash of the items.
 */
export const populationChanged: ReviewRule = (ctx) => {
  const { spec } = ctx.review.review;
  const actual = populationHash(spec.population);
  if (actual === spec.populationHash) return [];
  return [
    {
      code: 'review.population-changed',
      message: `the population was edited after roster review start (its hash is now ${actual}): only decisions may be added; restore it from git`,
      ...ctx.review.positionOf('/spec/populationHash'),
    },
  ];
};
