import type { InventoryAccount } from '../types.js';

/** Test support: an inventory row with what the findings read, the rest filled in. */
export function row(
  address: string,
  over: Partial<Pick<InventoryAccount, 'status' | 'owner' | 'lastUsed' | 'file' | 'line' | 'column'>> = {},
): InventoryAccount {
  return {
    address,
    name: address.split('/').pop()!,
    system: 'ledger',
    provider: 'books',
    kind: 'ServiceAccount',
    role: 'account',
    status: 'managed',
    id: '1',
    naturalKey: 'K',
    owner: 'finance-it',
    backupOwner: null,
    purpose: null,
    labels: {},
    roles: [],
    permissions: [],
    credentials: { issuedAt: null, ageDays: null, rotateAfterDays: null, rotationDue: null },
    attestation: null,
    drift: 'in-sync',
    lastUsed: { at: null, source: null, field: null },
    ...over,
  };
}
