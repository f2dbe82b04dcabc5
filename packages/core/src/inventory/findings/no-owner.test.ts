import { describe, expect, it } from 'vitest';
import { row } from './fixture-accounts.testing.js';
import { noOwnerHits } from './no-owner.js';

describe('inventory.no-owner', () => {
  it('finds every unmanaged account and managed ones with no labels.owner, not deactivated ones', () => {
    expect(
      noOwnerHits([
        row('books/ServiceAccount/owned'),
        row('books/ServiceAccount/orphan', { owner: null }),
        row('books/ServiceAccount/HAND', { owner: null, status: 'unmanaged' }),
        row('books/ServiceAccount/OLD', { owner: null, status: 'deactivated' }),
      ]),
    ).toEqual([
      {
        address: 'books/ServiceAccount/orphan',
        message: 'books/ServiceAccount/orphan has no labels.owner: say who answers for it',
      },
      {
        address: 'books/ServiceAccount/HAND',
        message:
          'books/ServiceAccount/HAND is in no manifest, so nobody owns it: declare it with labels.owner, or remove it from ledger',
      },
    ]);
  });
});
