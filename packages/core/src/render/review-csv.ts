import { stringify } from 'csv-stringify/sync';
import type { ReviewReport } from '../review/types.js';

const COLUMNS = [
  'period',
  'address',
  'system',
  'provider',
  'kind',
  'status',
  'owner',
  'backupOwner',
  'permissions',
  'decision',
  'reviewer',
  'decidedAt',
  'comment',
  'enactment',
  'commits',
  'applies',
] as const;

/**
 * `roster review report --format csv`: one row per account of the population, for a spreadsheet.
 * Lists in a cell are joined with `; ` (permissions), a commit is `sha subject`, an apply
 * `at action outcome by`. The header row names the columns; a cell starting with `=`, `+`, `-` or
 * `@` is prefixed with `'` (as the inventory's CSV).
 */
export function renderReviewCsv(report: ReviewReport): string {
  const rows = report.items.map((item) => ({
    period: report.period,
    address: item.address,
    system: item.system,
    provider: item.provider,
    kind: item.kind,
    status: item.status,
    owner: item.owner ?? '',
    backupOwner: item.backupOwner ?? '',
    permissions: item.permissions.join('; '),
    decision: item.decision?.decision ?? 'missing',
    reviewer: item.decision?.reviewer ?? '',
    decidedAt: item.decision?.at ?? '',
    comment: item.decision?.comment ?? '',
    enactment: item.enactment?.status ?? '',
    commits: (item.enactment?.commits ?? []).map((c) => `${c.sha.slice(0, 12)} ${c.subject}`).join('; '),
    applies: (item.enactment?.applies ?? [])
      .map((a) => `${a.at} ${a.action} ${a.outcome} ${a.by}`)
      .join('; '),
  }));
  // A reviewer's comment is free text: `=…` must not run as a formula in a spreadsheet.
  return stringify(rows, { header: true, columns: [...COLUMNS], escape_formulas: true });
}
