import { isDeepStrictEqual } from 'node:util';
import type { DesiredResource } from '../plan/desired.js';
import type { Plan } from '../plan/types.js';
import type { KindDefinition } from '../provider.js';

/**
 * The addresses the manifests declare and do not deactivate: a `revoke` is not enacted while one
 * of them is the account (the next apply would keep or bring back its access).
 */
export function declaredActiveAddresses(
  desired: readonly DesiredResource[],
  kindOf: (provider: string, kind: string) => KindDefinition | undefined,
): Set<string> {
  const out = new Set<string>();
  for (const r of desired) {
    const deactivation = kindOf(r.provider, r.kind)?.deactivation;
    if (deactivation && isDeepStrictEqual(r.spec[deactivation.attribute], deactivation.value)) continue;
    out.add(r.address);
  }
  return out;
}

/** The addresses the plan would still change (anything but `no-op`). */
export function pendingAddresses(plan: Pick<Plan, 'changes'>): Set<string> {
  return new Set(plan.changes.filter((c) => c.action !== 'no-op').map((c) => c.address));
}
