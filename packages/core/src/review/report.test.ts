import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../apply/audit.js';
import { outputSchema, outputValidator, schemaErrors } from '../render/output-schemas.testing.js';
import { account, BI, decide, inventory, PORTAL, reviewFile } from './fixtures.testing.js';
import { buildReviewReport, type ReviewReportInput } from './report.js';

const revokeBi = decide(
  BI.address,
  '{decision: revoke, reviewer: bob, at: "2026-12-08T09:00:00Z", comment: unused}',
);
const keepPortal = decide(
  PORTAL.address,
  '{decision: keep, reviewer: carol, at: 2026-12-09, comment: invoices}',
);
const deactivatedBi = account({
  address: BI.address,
  naturalKey: BI.naturalKey,
  status: 'deactivated',
  file: undefined,
});

const commit = (sha: string, date: string, files: string[]) => ({
  sha,
  date,
  author: 'bob',
  subject: `commit ${sha}`,
  files,
});
const op = (address: string, at: string, action: string): AuditEntry => ({
  type: 'operation',
  runId: 'run-1',
  actor: 'ci',
  at,
  address,
  action,
  outcome: 'done',
});

function input(over: Partial<ReviewReportInput> = {}): ReviewReportInput {
  return {
    review: reviewFile((t) => keepPortal(revokeBi(t))),
    current: inventory([PORTAL, deactivatedBi]),
    declaredActive: new Set([PORTAL.address]),
    pending: new Set(),
    commits: [
      commit('b'.repeat(40), '2026-12-08T10:00:00Z', ['intacct-accounts.yaml']),
      commit('a'.repeat(40), '2026-12-01T10:00:00Z', ['intacct-accounts.yaml']),
    ],
    audit: [
      op(BI.address, '2026-12-01T00:00:00Z', 'update'),
      op(BI.address, '2026-12-08T11:00:00Z', 'deactivate'),
      op(PORTAL.address, '2026-12-08T11:00:00Z', 'update'),
    ],
    policyExceptions: [
      {
        rule: 'sod.finance',
        reason: 'one clerk, approved by the CFO',
        position: { file: 'policies.yaml', line: 9, column: 11 },
        matcher: { test: (a) => a === PORTAL.address },
      },
    ],
    generatedAt: '2026-12-10T00:00:00.000Z',
    ...over,
  };
}

describe('buildReviewReport', () => {
  it('gives each revoke the commits since the start and the applies since the decision', () => {
    const report = buildReviewReport(input());
    const validate = outputValidator('review-report');
    expect(validate(report), schemaErrors(validate)).toBe(true);
    expect(report.population).toMatchObject({ size: 2, intact: true });
    expect(report.totals).toEqual({ keep: 1, revoke: 1, change: 0, missing: 0 });
    expect(report.reviewers).toEqual([
      { name: 'bob', decisions: 1, first: '2026-12-08T09:00:00Z', last: '2026-12-08T09:00:00Z' },
      { name: 'carol', decisions: 1, first: '2026-12-09', last: '2026-12-09' },
    ]);
    const bi = report.items.find((i) => i.address === BI.address)!;
    expect(bi.enactment).toEqual({
      status: 'enacted',
      commits: [commit('b'.repeat(40), '2026-12-08T10:00:00Z', ['intacct-accounts.yaml'])],
      applies: [
        { at: '2026-12-08T11:00:00Z', by: 'ci', runId: 'run-1', action: 'deactivate', outcome: 'done' },
      ],
    });
    expect(report.items.find((i) => i.address === PORTAL.address)!.enactment).toEqual({
      status: 'not-needed',
      commits: [],
      applies: [],
    });
    expect(report.openExceptions).toEqual([
      {
        address: PORTAL.address,
        kind: 'policy-exception',
        detail: 'sod.finance: one clerk, approved by the CFO (policies.yaml:9)',
      },
    ]);
    expect(report.problems).toEqual([]);
  });

  it('lists a revoke not yet enacted as an open exception and a problem; a tampered population as not intact', () => {
    const report = buildReviewReport(
      input({
        review: reviewFile((t) =>
          keepPortal(revokeBi(t)).replace('      owner: data-platform\n', '      owner: nobody\n'),
        ),
        current: inventory([PORTAL, BI]),
        declaredActive: new Set([PORTAL.address, BI.address]),
      }),
    );
    expect(report.population.intact).toBe(false);
    expect(report.openExceptions[0]).toEqual({
      address: BI.address,
      kind: 'pending-decision',
      detail: 'revoke by bob on 2026-12-08T09:00:00Z: the manifests still declare it active',
    });
    expect(report.problems.map((p) => p.code)).toEqual(['review.population-changed', 'review.not-enacted']);
  });

  it('a decision dated by day alone takes no apply from before the review started', () => {
    const sameDay = decide(BI.address, '{decision: revoke, reviewer: bob, at: 2026-12-07, comment: unused}');
    const report = buildReviewReport(
      input({
        review: reviewFile((t) => keepPortal(sameDay(t))),
        audit: [
          op(BI.address, '2026-12-07T09:00:00Z', 'create'),
          op(BI.address, '2026-12-07T11:00:00Z', 'deactivate'),
        ],
      }),
    );
    const bi = report.items.find((i) => i.address === BI.address)!;
    expect(bi.enactment?.applies.map((a) => a.action)).toEqual(['deactivate']);
  });

  it("describes the accounts and conflicts as the inventory's schema does (one shape, two documents)", () => {
    const defs = (name: string) => outputSchema(name)['$defs'] as Record<string, unknown>;
    for (const def of ['account', 'permission', 'conflict']) {
      expect(defs('review-report')[def], def).toEqual(defs('inventory')[def]);
    }
  });
});
