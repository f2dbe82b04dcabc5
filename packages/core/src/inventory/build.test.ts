import { describe, expect, it } from 'vitest';
import { buildInventory, inventoryBlocking } from './build.js';
import { kindOf, NOW, providers, refreshPlan, settings, world } from './fixture.testing.js';

function build(over: { policies?: ReturnType<typeof settings>; staleAfterDays?: number } = {}) {
  const { desired, state, remote } = world();
  return buildInventory({
    project: { desired, providers, policies: over.policies ?? settings(), kindOf },
    plan: refreshPlan(),
    remote,
    state,
    now: NOW,
    ...(over.staleAfterDays !== undefined ? { staleAfterDays: over.staleAfterDays } : {}),
  });
}

describe('buildInventory', () => {
  it('the population, its findings, and the SoD conflicts of an unmanaged account too', () => {
    const report = build();
    expect(report.generatedAt).toBe('2026-06-30T12:00:00.000Z');
    expect(report.staleAfterDays).toBe(90);
    expect(report.accounts.map((a) => `${a.address} ${a.status}`)).toEqual([
      'books/ServiceAccount/HAND unmanaged',
      'books/ServiceAccount/OLD deactivated',
      'books/ServiceAccount/clerk managed',
      'books/ServiceAccount/gone managed',
      'hub/Connector/sync-ap managed',
    ]);
    expect(report.findings.map((f) => `${f.rule} ${f.address}`)).toEqual([
      'inventory.no-owner books/ServiceAccount/HAND',
      'inventory.no-owner books/ServiceAccount/gone',
      'inventory.no-owner hub/Connector/sync-ap',
    ]);
    expect(report.conflicts).toEqual([
      {
        address: 'books/ServiceAccount/HAND',
        rule: 'enter-approve',
        pack: 'finance',
        message:
          'books/ServiceAccount/HAND holds bills: add and bills: approve together: one account could enter and approve a bill (SoD finance v1, enter-approve)',
        severity: 'error',
        permissions: ['bills: add', 'bills: approve'],
      },
    ]);
    // An SoD error nobody excepted: roster inventory exits 2.
    expect(inventoryBlocking(report)).toBe(true);
  });

  it('a conflict of a managed account is at its manifest line; a connection reaching it has one too', () => {
    const { desired, state, remote } = world();
    const clerk = remote.get('books')!.get('ServiceAccount')![0]!;
    clerk.attributes.roles = [{ ref: 'AP' }, { ref: 'APPROVE' }];
    const report = buildInventory({
      project: { desired, providers, policies: settings(), kindOf },
      plan: refreshPlan(),
      remote,
      state,
      now: NOW,
    });
    expect(report.conflicts.map((c) => [c.address, c.file ?? '-', c.line ?? '-', c.column ?? '-'])).toEqual([
      ['books/ServiceAccount/HAND', '-', '-', '-'],
      ['books/ServiceAccount/clerk', 'books.yaml', 4, 9],
      ['hub/Connector/sync-ap', 'hub.yaml', 3, 9],
    ]);
  });

  it('stale after the days of --stale-days, else of the rule option, else 90', () => {
    const policies = settings();
    policies.rules.set('inventory.stale', { enabled: true, severity: 'warning', options: { days: 1 } });
    const byOption = build({ policies });
    expect(byOption.staleAfterDays).toBe(1);
    expect(byOption.findings.filter((f) => f.rule === 'inventory.stale').map((f) => f.address)).toEqual([
      'books/ServiceAccount/clerk',
    ]);
    expect(build({ policies, staleAfterDays: 5 }).staleAfterDays).toBe(5);
  });

  it('exits 2 for nothing but errors nobody excepted', () => {
    const policies = settings([['sod.finance', 'books/ServiceAccount/HAND']]);
    expect(inventoryBlocking(build({ policies }))).toBe(false);
    policies.rules.set('inventory.no-owner', { enabled: true, severity: 'error', options: {} });
    expect(inventoryBlocking(build({ policies }))).toBe(true);
  });
});
