import { remoteFingerprint } from '../plan/remote-fingerprint.js';
import type { RemoteSnapshot } from '../plan/remote-snapshot.js';
import type { Plan } from '../plan/types.js';
import type { RemoteObject } from '../provider.js';
import type { StateDocument } from '../state/types.js';

/**
 * Why a saved plan can no longer be applied exactly: the state moved on, or an object it touches
 * changed in the system since the plan was made. Empty when the plan is current. Pure.
 */
export function findStaleness(plan: Plan, state: StateDocument, remote: RemoteSnapshot): string[] {
  const problems: string[] = [];
  if (plan.lineage !== state.lineage && plan.serial === 0) {
    // The plan was made before any state existed; another apply has created it since.
    problems.push(
      `state changed since the plan was made (serial 0 → ${state.serial}): another apply ran in between`,
    );
    return problems;
  }
  if (plan.lineage !== state.lineage) {
    problems.push(
      `the plan was made for state lineage ${plan.lineage}, but this state has lineage ${state.lineage}`,
    );
    return problems;
  }
  if (plan.serial !== state.serial) {
    problems.push(
      `state changed since the plan was made (serial ${plan.serial} → ${state.serial}): another apply ran in between`,
    );
  }
  const byId = new Map<string, RemoteObject>();
  const byKey = new Map<string, RemoteObject>();
  for (const [provider, kinds] of remote) {
    for (const [kind, objects] of kinds) {
      for (const o of objects) {
        byId.set(`${provider}\u0000${kind}\u0000${o.id}`, o);
        byKey.set(`${provider}\u0000${kind}\u0000${o.naturalKey}`, o);
      }
    }
  }
  for (const change of plan.changes) {
    const key = `${change.provider}\u0000${change.kind}`;
    // A kind the system cannot read (capability read: none) was not refreshed: nothing to compare.
    if (!remote.get(change.provider)?.has(change.kind)) continue;
    if (change.remoteFingerprint && change.id !== undefined) {
      const now = byId.get(`${key}\u0000${change.id}`);
      if (!now)
        problems.push(
          `${change.address} (${change.naturalKey}) was deleted in the system since the plan was made`,
        );
      else if (remoteFingerprint(now) !== change.remoteFingerprint) {
        const who = now.modifiedBy
          ? ` by ${now.modifiedBy}${now.modifiedAt ? ` at ${now.modifiedAt}` : ''}`
          : '';
        problems.push(
          `${change.address} (${change.naturalKey}) changed in the system since the plan was made${who}`,
        );
      }
    } else if (
      change.action === 'create' &&
      change.dependsOn.every((i) => plan.changes[i]?.address !== change.address)
    ) {
      const now = byKey.get(`${key}\u0000${change.naturalKey}`);
      if (now)
        problems.push(
          `${change.address}: ${change.naturalKey} was created in the system since the plan was made`,
        );
    }
  }
  return [...new Set(problems)];
}
