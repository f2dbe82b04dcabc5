import type { InventoryAccount } from './types.js';

/**
 * Test support: the inventory row of `address` (`<provider>/<Kind>/<name>`) as a managed, in-sync
 * account of which nothing else is known; `over` sets what a test is about.
 */
export function inventoryRow(over: Partial<InventoryAccount> & { address: string }): InventoryAccount {
  const [provider = '', kind = '', ...rest] = over.address.split('/');
  const name = rest.join('/');
  return {
    name,
    system: provider,
    provider,
    kind,
    role: 'account',
    status: 'managed',
    id: null,
    naturalKey: name,
    owner: null,
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
