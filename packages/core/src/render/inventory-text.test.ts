import { describe, expect, it } from 'vitest';
import { buildInventory } from '../inventory/build.js';
import { kindOf, NOW, providers, refreshPlan, settings, world } from '../inventory/fixture.testing.js';
import { renderInventoryText } from './inventory-text.js';

function report(policies = settings()) {
  const { desired, state, remote } = world();
  return buildInventory({
    project: { desired, providers, policies, kindOf },
    plan: refreshPlan(),
    remote,
    state,
    now: NOW,
  });
}

describe('roster inventory as text', () => {
  it('a table of every account, why a last use is unknown, findings and conflicts, the counts', () => {
    expect(renderInventoryText(report(), { color: false })).toMatchInlineSnapshot(`
      "Inventory at 2026-06-30T12:00:00.000Z: 5 accounts; stale after 90 days without use.

      ADDRESS                     STATUS       OWNER       ROLES        PERMISSIONS  CREDENTIALS          LAST USED                 DRIFT
      books/ServiceAccount/HAND   unmanaged    -           AP, APPROVE  2            -                    unknown                   unmanaged
      books/ServiceAccount/OLD    deactivated  -           AP           0            -                    2025-01-01 (lastLogin)    unmanaged
      books/ServiceAccount/clerk  managed      finance-it  AP           1            20d, due 2026-07-10  2026-06-28 (lastLogin)    in-sync
      books/ServiceAccount/gone   managed      -           -            0            -                    unknown                   deleted
      hub/Connector/sync-ap       managed      -           -            1            -                    2026-06-29 (roster test)  unknown

      Last use unknown (not stale, but not known to be in use):
        books/ServiceAccount/HAND: lastLogin is empty; roster test signs in only as accounts the manifests declare
        books/ServiceAccount/gone: the system no longer holds it

      warning[inventory.no-owner]: books/ServiceAccount/HAND is in no manifest, so nobody owns it: declare it with labels.owner, or remove it from ledger
      warning[inventory.no-owner]: books/ServiceAccount/gone has no labels.owner: say who answers for it
      hub.yaml:3:9: warning[inventory.no-owner]: hub/Connector/sync-ap has no labels.owner: say who answers for it
      error[sod.finance/enter-approve]: books/ServiceAccount/HAND holds bills: add and bills: approve together: one account could enter and approve a bill (SoD finance v1, enter-approve)

      5 accounts: 3 managed, 1 unmanaged, 1 deactivated. 3 findings, 1 conflict."
    `);
  });

  it('shows at most three roles of an account in the table', () => {
    const r = report();
    r.accounts[0]!.roles = ['A', 'B', 'C', 'D', 'E'];
    const row = renderInventoryText(r, { color: false })
      .split('\n')
      .find((l) => l.startsWith(r.accounts[0]!.address));
    expect(row).toContain('  A, B, C +2 more  ');
  });

  it('marks a rotation due before the report as overdue', () => {
    const r = report();
    const clerk = r.accounts.find((a) => a.name === 'clerk')!;
    clerk.credentials = {
      issuedAt: '2026-01-01T00:00:00Z',
      ageDays: 180,
      rotateAfterDays: 30,
      rotationDue: '2026-01-31',
    };
    expect(renderInventoryText(r, { color: false })).toContain('  180d, due 2026-01-31 (overdue)  ');
  });

  it('an excepted finding prints as info with its reason, and is not counted', () => {
    const text = renderInventoryText(report(settings([['inventory.no-owner', 'hub/*']])), { color: false });
    expect(text).toContain(
      'hub.yaml:3:9: info[inventory.no-owner]: hub/Connector/sync-ap has no labels.owner: say who answers for it (excepted at policy.yaml:10: accepted in a test)',
    );
    expect(text.split('\n').at(-1)).toBe(
      '5 accounts: 3 managed, 1 unmanaged, 1 deactivated. 2 findings, 1 conflict (and 1 excepted).',
    );
  });
});
