import pc from 'picocolors';
import type { AccessReview, ReviewProblem } from '../review/types.js';
import { plural } from './plural.js';

/**
 * `roster review check` as text: one line per problem as a diagnostic prints
 * (`reviews/2026-Q4.yaml:41:7: error[review.self-review]: …`), then the verdict.
 */
export function renderReviewCheckText(
  review: AccessReview,
  problems: readonly ReviewProblem[],
  opts: { color: boolean },
): string {
  const c = pc.createColors(opts.color);
  const lines = problems.map((p) => {
    const where = p.file ? `${p.file}:${p.line}:${p.column}: ` : '';
    return `${where}${c.red('error')}[${p.code}]: ${p.message}`;
  });
  const { period, population } = review.spec;
  const decided = population.filter((i) => i.decision).length;
  if (problems.length === 0) {
    lines.push(
      `Review ${period} passes: ${plural(population.length, 'account')}, every decision made and enacted.`,
    );
  } else {
    const counts = new Map<string, number>();
    for (const p of problems) counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
    const byCode = [...counts].map(([code, n]) => `${n} ${code.replace(/^review\./, '')}`).join(', ');
    if (lines.length > 0) lines.push('');
    lines.push(
      `Review ${period} does not pass: ${plural(problems.length, 'problem')} (${byCode}); ${decided} of ${plural(population.length, 'account')} decided.`,
    );
  }
  return lines.join('\n');
}
