import { enactmentOf } from '../enactment.js';
import { itemProblem, type ReviewRule } from './context.js';

/**
 * `review.not-enacted`: a `revoke` or `change` counts once the manifests say it and the systems
 * hold it (see `enactmentOf`), not when it is written in the review.
 */
export const notEnacted: ReviewRule = (ctx) =>
  ctx.review.review.spec.population.flatMap((item, i) => {
    const state = enactmentOf(item, ctx);
    if (state.status !== 'pending') return [];
    const d = item.decision!;
    return [
      itemProblem(
        ctx,
        'review.not-enacted',
        i,
        item,
        '/decision/decision',
        `${d.decision} of ${item.address} (${d.reviewer}, ${d.at}) is not enacted: ${state.why}`,
      ),
    ];
  });
