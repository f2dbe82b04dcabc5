import type { InventoryAccount, InventoryReport } from '../inventory/types.js';
import { canonicalHash, populationHash } from './hash.js';
import type { AccessReview, ReviewItem } from './types.js';

/** A period as reviews name them: `2026-Q4`, `2026-H2`, `2026-12`, `2026`. */
export const REVIEW_PERIOD = /^\d{4}(-(Q[1-4]|H[12]|(0[1-9]|1[0-2])))?$/;

/**
 * One account of the inventory as the review freezes it: what it held, who owns it, when it was
 * last used. Permission names only (sorted, distinct): the path each came through is for the
 * report's graph, not something a reviewer decides on.
 */
export function reviewItemOf(account: InventoryAccount): ReviewItem {
  return {
    address: account.address,
    naturalKey: account.naturalKey,
    id: account.id,
    system: account.system,
    provider: account.provider,
    kind: account.kind,
    status: account.status,
    owner: account.owner,
    backupOwner: account.backupOwner,
    purpose: account.purpose,
    roles: [...account.roles].sort(),
    permissions: [...new Set(account.permissions.map((p) => p.name))].sort(),
    lastUsedAt: account.lastUsed.at,
    ...(account.file !== undefined ? { file: account.file } : {}),
  };
}

/**
 * A new review of the complete population the refreshed inventory holds: every account and
 * connection, managed, unmanaged and deactivated, sorted by address. Pure: the caller gives the
 * time and the actor.
 */
export function startReview(req: {
  inventory: InventoryReport;
  period: string;
  startedAt: string;
  startedBy: string;
}): AccessReview {
  const population = req.inventory.accounts
    .map(reviewItemOf)
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return {
    apiVersion: 'roster/v1',
    kind: 'AccessReview',
    metadata: { name: req.period },
    spec: {
      period: req.period,
      startedAt: req.startedAt,
      startedBy: req.startedBy,
      refreshHash: canonicalHash(req.inventory),
      populationHash: populationHash(population),
      population,
    },
  };
}
