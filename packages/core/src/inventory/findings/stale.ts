import { daysSince } from '../ages.js';
import type { InventoryAccount } from '../types.js';

/** A rule's hit on one account, before severity and exceptions. */
export interface InventoryHit {
  address: string;
  message: string;
}

/**
 * Accounts last used more than `days` ago. An account whose use is unknown (`lastUsed.at` null) is
 * not stale: nothing says so (the text output shows "unknown" and why). A deactivated one is not
 * either: it cannot sign in, whatever its age. Pure.
 */
export function staleHits(
  accounts: readonly InventoryAccount[],
  req: { days: number; now: Date },
): InventoryHit[] {
  const hits: InventoryHit[] = [];
  for (const a of accounts) {
    const at = a.lastUsed.at;
    if (at === null || a.status === 'deactivated') continue;
    const age = daysSince(at, req.now);
    if (age <= req.days) continue;
    const source =
      a.lastUsed.source === 'system'
        ? `${a.system} ${a.lastUsed.field ?? 'last use'}`
        : 'the last roster test sign-in';
    hits.push({
      address: a.address,
      message: `${a.address} was last used ${age} days ago (${at.slice(0, 10)}, ${source}), more than ${req.days}: deactivate it if nothing needs it, or find out what does`,
    });
  }
  return hits;
}
