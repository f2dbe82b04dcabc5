import { describe, expect, it } from 'vitest';
import { NOW, settings } from '../fixture.testing.js';
import { row } from './fixture-accounts.testing.js';
import { inventoryFindings } from './judge.js';

const accounts = [
  row('books/ServiceAccount/HAND', { owner: null, status: 'unmanaged' }),
  row('books/ServiceAccount/old', {
    lastUsed: { at: '2026-01-01T00:00:00Z', source: 'system', field: 'lastLogin' },
    file: 'books.yaml',
    line: 4,
    column: 9,
  }),
];

describe('the inventory rules, as the Policy documents set them', () => {
  it('each finding has its rule, default severity warning, and the manifest line', () => {
    const { findings, diagnostics } = inventoryFindings({
      accounts,
      settings: settings(),
      staleAfterDays: 90,
      now: NOW,
    });
    expect(findings.map((f) => [f.rule, f.severity, f.address, f.file ?? '-', f.line ?? '-'])).toEqual([
      ['inventory.no-owner', 'warning', 'books/ServiceAccount/HAND', '-', '-'],
      ['inventory.stale', 'warning', 'books/ServiceAccount/old', 'books.yaml', 4],
    ]);
    expect(diagnostics).toEqual([]);
  });

  it('sets severity, turns a rule off, and keeps an excepted finding with its reason', () => {
    const s = settings([['inventory.no-owner', 'books/ServiceAccount/*']]);
    s.rules.set('inventory.stale', { enabled: true, severity: 'error', options: {} });
    const excepted = inventoryFindings({ accounts, settings: s, staleAfterDays: 90, now: NOW }).findings;
    expect(excepted.map((f) => [f.rule, f.severity, f.excepted?.reason ?? '-'])).toEqual([
      ['inventory.stale', 'error', '-'],
      ['inventory.no-owner', 'warning', 'accepted in a test'],
    ]);
    s.rules.set('inventory.stale', { enabled: false, severity: 'error', options: {} });
    expect(inventoryFindings({ accounts, settings: s, staleAfterDays: 90, now: NOW }).findings).toHaveLength(
      1,
    );
  });

  it('warns of an exception of these rules that matched no account', () => {
    const s = settings([
      ['inventory.stale', 'books/ServiceAccount/nobody'],
      ['labels-required', 'books/ServiceAccount/nobody'],
    ]);
    expect(inventoryFindings({ accounts, settings: s, staleAfterDays: 90, now: NOW }).diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'policy.unused-exception',
        message:
          'the exception of books/ServiceAccount/nobody from inventory.stale matched no account of the inventory: remove it, or fix its address',
        file: 'policy.yaml',
        line: 10,
        column: 7,
      },
    ]);
  });
});
