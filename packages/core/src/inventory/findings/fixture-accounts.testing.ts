import { inventoryRow } from '../account-fixture.testing.js';
import type { InventoryAccount } from '../types.js';

/** Test support: an inventory row with what the findings read, the rest filled in. */
export function row(
  address: string,
  over: Partial<Pick<InventoryAccount, 'status' | 'owner' | 'lastUsed' | 'file' | 'line' | 'column'>> = {},
): InventoryAccount {
  return inventoryRow({
    address,
    name: address.split('/').pop()!,
    system: 'ledger',
    provider: 'books',
    kind: 'ServiceAccount',
    id: '1',
    naturalKey: 'K',
    owner: 'finance-it',
    ...over,
  });
}
