import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { BI, decide, inventory, PORTAL, reviewFile } from '../review/fixtures.testing.js';
import { buildReviewReport } from '../review/report.js';
import { renderReviewCsv } from './review-csv.js';

describe('renderReviewCsv', () => {
  it('one row per account, quoted where a value needs it', () => {
    const review = reviewFile(
      decide(
        PORTAL.address,
        '{decision: change, reviewer: bob, at: 2026-12-08, comment: "drop vendors, keep bills"}',
      ),
    );
    const report = buildReviewReport({
      review,
      current: inventory([PORTAL, BI]),
      declaredActive: new Set(),
      pending: new Set(),
      commits: [],
      audit: [],
      policyExceptions: [],
      generatedAt: '2026-12-10T00:00:00.000Z',
    });
    const csv = renderReviewCsv(report);
    expect(csv.split('\n')[0]).toBe(
      'period,address,system,provider,kind,status,owner,backupOwner,permissions,decision,reviewer,decidedAt,comment,enactment,commits,applies',
    );
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(
      renderReviewCsv({ ...report, items: [{ ...report.items[0]!, owner: '=HYPERLINK("x")' }] }),
    ).toContain(`,"'=HYPERLINK(""x"")",`);
    expect(rows.map((r) => [r.address, r.decision, r.comment, r.enactment, r.permissions])).toEqual([
      [BI.address, 'missing', '', '', ''],
      [
        PORTAL.address,
        'change',
        'drop vendors, keep bills',
        'pending',
        'accountsPayable/bills: add; accountsPayable/vendors: list',
      ],
    ]);
  });
});
