import { describe, expect, it } from 'vitest';
import { account, BI, decide, PORTAL, reviewFile } from '../fixtures.testing.js';
import { notEnacted } from './not-enacted.js';

const revokeBi = decide(
  BI.address,
  '{decision: revoke, reviewer: bob, at: 2026-12-08, comment: unused since June}',
);
const changePortal = decide(
  PORTAL.address,
  '{decision: change, reviewer: bob, at: 2026-12-08, comment: no vendors}',
);
const none = new Set<string>();

describe('review.not-enacted', () => {
  it('a revoke waits for the manifests, then for the apply', () => {
    const review = reviewFile(revokeBi);
    const declared = notEnacted({
      review,
      current: [PORTAL, BI],
      declaredActive: new Set([BI.address]),
      pending: none,
    });
    expect(declared.map((p) => [p.code, p.message, p.line])).toEqual([
      [
        'review.not-enacted',
        `revoke of ${BI.address} (bob, 2026-12-08) is not enacted: the manifests still declare it active`,
        19,
      ],
    ]);
    const removed = notEnacted({
      review,
      current: [PORTAL, BI],
      declaredActive: none,
      pending: new Set([BI.address]),
    });
    expect(removed.map((p) => p.message)).toEqual([
      `revoke of ${BI.address} (bob, 2026-12-08) is not enacted: the systems still hold it active: apply the manifests`,
    ]);
  });

  it('a revoke is enacted once the account is deactivated (found by natural key) or gone', () => {
    const review = reviewFile(revokeBi);
    const deactivated = account({
      address: `intacct-sandbox/ServiceAccount/${BI.naturalKey}`,
      naturalKey: BI.naturalKey,
      status: 'deactivated',
    });
    expect(
      notEnacted({ review, current: [PORTAL, deactivated], declaredActive: none, pending: none }),
    ).toEqual([]);
    expect(notEnacted({ review, current: [PORTAL], declaredActive: none, pending: none })).toEqual([]);
  });

  it('a change needs different permissions now and nothing left in the plan', () => {
    const review = reviewFile(changePortal);
    const same = notEnacted({ review, current: [PORTAL, BI], declaredActive: none, pending: none });
    expect(same.map((p) => p.message)).toEqual([
      `change of ${PORTAL.address} (bob, 2026-12-08) is not enacted: its effective permissions are still those frozen at the start`,
    ]);
    const fewer = { ...PORTAL, permissions: PORTAL.permissions.slice(0, 1) };
    const planned = notEnacted({
      review,
      current: [fewer, BI],
      declaredActive: none,
      pending: new Set([PORTAL.address]),
    });
    expect(planned.map((p) => p.message)).toEqual([
      `change of ${PORTAL.address} (bob, 2026-12-08) is not enacted: the plan still has changes for it: apply the manifests`,
    ]);
    expect(notEnacted({ review, current: [fewer, BI], declaredActive: none, pending: none })).toEqual([]);
  });

  it('a keep needs nothing', () => {
    const review = reviewFile(
      decide(BI.address, '{decision: keep, reviewer: bob, at: 2026-12-08, comment: ok}'),
    );
    expect(notEnacted({ review, current: [], declaredActive: none, pending: none })).toEqual([]);
  });
});
