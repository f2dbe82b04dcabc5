import type { InventoryAccount } from '../types.js';
import type { InventoryHit } from './stale.js';

/**
 * Accounts and connections with no `labels.owner`: every unmanaged one (no manifest gives it
 * labels), and managed ones whose manifest names none. Deactivated ones are left out: they grant
 * nothing, and roster leaves them behind itself when a manifest is removed. Pure.
 */
export function noOwnerHits(accounts: readonly InventoryAccount[]): InventoryHit[] {
  const hits: InventoryHit[] = [];
  for (const a of accounts) {
    if (a.owner !== null || a.status === 'deactivated') continue;
    hits.push({
      address: a.address,
      message:
        a.status === 'unmanaged'
          ? `${a.address} is in no manifest, so nobody owns it: declare it with labels.owner, or remove it from ${a.system}`
          : `${a.address} has no labels.owner: say who answers for it`,
    });
  }
  return hits;
}
