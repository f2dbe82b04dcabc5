import { itemProblem, type ReviewRule } from './context.js';

/**
 * `review.self-review`: nobody certifies their own access. The reviewer must be neither the
 * account's owner nor its backup owner (labels `owner`, `backup-owner`), compared without case.
 */
export const selfReview: ReviewRule = (ctx) =>
  ctx.review.review.spec.population.flatMap((item, i) => {
    const reviewer = item.decision?.reviewer.trim().toLowerCase();
    if (!reviewer) return [];
    const role =
      reviewer === item.owner?.trim().toLowerCase()
        ? 'owner'
        : reviewer === item.backupOwner?.trim().toLowerCase()
          ? 'backup owner'
          : undefined;
    if (!role) return [];
    return [
      itemProblem(
        ctx,
        'review.self-review',
        i,
        item,
        '/decision/reviewer',
        `${item.decision!.reviewer} reviewed ${item.address}, of which they are the ${role}: another person must decide`,
      ),
    ];
  });
