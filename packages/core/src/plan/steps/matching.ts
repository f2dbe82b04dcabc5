import type { Diagnostic } from '../../diagnostics.js';
import type { KindDefinition, RemoteObject } from '../../provider.js';
import type { StateResource } from '../../state/types.js';
import type { DesiredResource } from '../desired.js';
import type { RemoteIndex } from '../remote-index.js';
import { diagnosticAt } from './diagnostic-at.js';

/** How a declared resource found its object in the system. */
export type Match =
  | { remote: RemoteObject; matchedBy: 'state' | 'naturalKey' }
  | { remote: undefined; conflict?: Diagnostic };

/**
 * Desired ↔ state ↔ remote: the object state records (by id) when it still exists, else the one
 * holding the declared natural key; a key held by an object of another sort is an error.
 */
export function matchRemote(
  d: DesiredResource,
  def: KindDefinition,
  st: StateResource | undefined,
  index: RemoteIndex,
): Match {
  const byId = st ? index.byId(d.provider, d.kind, st.id) : undefined;
  if (byId) return { remote: byId, matchedBy: 'state' };
  const byKey = index.byKey(d.provider, d.kind, d.naturalKey);
  if (!byKey) return { remote: undefined };
  if (byKey.conflict) {
    const pointer = `/spec/${def.naturalKeyAttribute}`;
    return {
      remote: undefined,
      conflict: diagnosticAt(d, pointer, 'error', 'plan.natural-key-conflict', byKey.conflict),
    };
  }
  return { remote: byKey, matchedBy: 'naturalKey' };
}

/** Desired addresses in dependency order, then any the order does not list. */
export function orderedDesired(input: {
  order: readonly string[];
  desired: readonly DesiredResource[];
}): string[] {
  const seen = new Set(input.order);
  const rest = input.desired.map((d) => d.address).filter((a) => !seen.has(a));
  return [...input.order, ...rest];
}
