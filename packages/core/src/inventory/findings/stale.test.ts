import { describe, expect, it } from 'vitest';
import { NOW } from '../fixture.testing.js';
import { row } from './fixture-accounts.testing.js';
import { staleHits } from './stale.js';

const used = (at: string | null, source: 'system' | 'roster-test' = 'system') => ({
  at,
  source: at === null ? null : source,
  field: source === 'system' ? 'lastLogin' : null,
});

describe('inventory.stale', () => {
  const accounts = [
    row('books/ServiceAccount/fresh', { lastUsed: used('2026-06-01T00:00:00Z') }),
    row('books/ServiceAccount/edge', { lastUsed: used('2026-04-01T12:00:00Z') }),
    row('books/ServiceAccount/old', { lastUsed: used('2026-03-01T00:00:00Z') }),
    row('books/ServiceAccount/tested', { lastUsed: used('2025-12-01T00:00:00Z', 'roster-test') }),
    row('books/ServiceAccount/never', { lastUsed: used(null) }),
    row('books/ServiceAccount/off', { status: 'deactivated', lastUsed: used('2024-01-01T00:00:00Z') }),
  ];

  it('finds accounts last used more than N days ago, citing where that comes from', () => {
    expect(staleHits(accounts, { days: 90, now: NOW })).toEqual([
      {
        address: 'books/ServiceAccount/old',
        message:
          'books/ServiceAccount/old was last used 121 days ago (2026-03-01, ledger lastLogin), more than 90: deactivate it if nothing needs it, or find out what does',
      },
      {
        address: 'books/ServiceAccount/tested',
        message:
          'books/ServiceAccount/tested was last used 211 days ago (2025-12-01, the last roster test sign-in), more than 90: deactivate it if nothing needs it, or find out what does',
      },
    ]);
  });

  it('an unknown use is not stale, nor a deactivated account; N days exactly is not more than N', () => {
    const found = staleHits(accounts, { days: 30, now: NOW }).map((h) => h.address);
    expect(found).toEqual([
      'books/ServiceAccount/edge',
      'books/ServiceAccount/old',
      'books/ServiceAccount/tested',
    ]);
    expect(staleHits(accounts, { days: 90, now: NOW }).map((h) => h.address)).not.toContain(
      'books/ServiceAccount/edge',
    );
  });
});
