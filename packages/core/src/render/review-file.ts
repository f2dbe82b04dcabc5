import { stringify } from 'yaml';
import { REVIEW_FILE_SCHEMA } from '../review/schema.js';
import type { AccessReview } from '../review/types.js';
import { plural } from './plural.js';

/**
 * The review file `roster review start` writes: a schema modeline for editors, how to record a
 * decision, then the `AccessReview` document. Strings that YAML would read as something else
 * (`off`, a date) are quoted by the writer, so the file reads back as written.
 */
export function renderReviewFile(review: AccessReview): string {
  const { period, startedBy } = review.spec;
  const header = [
    `# yaml-language-server: $schema=${String(REVIEW_FILE_SCHEMA.$id)}`,
    `# Access review ${period}, started by ${startedBy}: ${review.spec.population.length} accounts.`,
    '# Record one decision per account, through a pull request, under the account:',
    '#   decision: { decision: keep|revoke|change, reviewer: NAME, at: YYYY-MM-DD, comment: WHY }',
    "# The reviewer must not be the account's owner or backup owner. Edit nothing else: the",
    '# population is hashed (populationHash). Then: roster review check, roster review report.',
  ];
  return `${header.join('\n')}\n${stringify(review, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/** What `roster review start` prints once the file is written: counts by status, the hash, what next. */
export function renderReviewStarted(review: AccessReview, file: string): string {
  const counts = new Map<string, number>();
  for (const item of review.spec.population) counts.set(item.status, (counts.get(item.status) ?? 0) + 1);
  const byStatus = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  return [
    `Started review ${review.spec.period}: ${plural(review.spec.population.length, 'account')}${byStatus ? ` (${byStatus})` : ''} in ${file}`,
    `population ${review.spec.populationHash}`,
    `Next: commit it, record decisions through pull requests, run roster review check ${file}`,
  ].join('\n');
}
