import type { InventoryAccount } from '../inventory/types.js';
import type { ReviewItem } from './types.js';

/** What the world looks like now, for deciding whether a decision is enacted. */
export interface EnactmentWorld {
  current: readonly InventoryAccount[];
  declaredActive: ReadonlySet<string>;
  pending: ReadonlySet<string>;
}

/** Whether the item's decision is carried out, and if not, why (for the message). */
export type EnactmentState =
  | { status: 'not-needed' }
  | { status: 'enacted' }
  | { status: 'pending'; why: string };

/**
 * The account as the systems hold it now: by address, else by provider, kind and natural key (a
 * revoked account no manifest declares any more is listed under its natural key).
 */
export function currentAccount(
  item: ReviewItem,
  current: readonly InventoryAccount[],
): InventoryAccount | undefined {
  return (
    current.find((a) => a.address === item.address) ??
    current.find(
      (a) => a.provider === item.provider && a.kind === item.kind && a.naturalKey === item.naturalKey,
    )
  );
}

/**
 * Enacted means done in the systems and kept so by the manifests. A `revoke`: the account is gone
 * or deactivated now, and no manifest still declares it active (or the next apply would bring it
 * back). A `change`: its effective permissions now differ from those frozen at the start, and the
 * plan has nothing left to do for it (the manifests were applied). A `keep` needs nothing.
 */
export function enactmentOf(item: ReviewItem, world: EnactmentWorld): EnactmentState {
  const verdict = item.decision?.decision;
  if (verdict !== 'revoke' && verdict !== 'change') return { status: 'not-needed' };
  const now = currentAccount(item, world.current);
  if (verdict === 'revoke') {
    if (world.declaredActive.has(item.address))
      return { status: 'pending', why: 'the manifests still declare it active' };
    if (now && now.status !== 'deactivated')
      return { status: 'pending', why: 'the systems still hold it active: apply the manifests' };
    return { status: 'enacted' };
  }
  if (!now) return { status: 'pending', why: 'the systems no longer hold it: decide revoke, or restore it' };
  if (world.pending.has(item.address))
    return { status: 'pending', why: 'the plan still has changes for it: apply the manifests' };
  const permissions = [...new Set(now.permissions.map((p) => p.name))].sort();
  if (sameList(permissions, item.permissions))
    return { status: 'pending', why: 'its effective permissions are still those frozen at the start' };
  return { status: 'enacted' };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
