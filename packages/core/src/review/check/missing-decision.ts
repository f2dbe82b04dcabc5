import { itemProblem, type ReviewRule } from './context.js';

/** `review.missing-decision`: every account of the population needs a decision. */
export const missingDecision: ReviewRule = (ctx) =>
  ctx.review.review.spec.population.flatMap((item, i) =>
    item.decision
      ? []
      : [
          itemProblem(
            ctx,
            'review.missing-decision',
            i,
            item,
            '/address',
            `no decision for ${item.address} (owner ${item.owner ?? 'none'}): add decision: {decision: keep|revoke|change, reviewer, at, comment}`,
          ),
        ],
  );
