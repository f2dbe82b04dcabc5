import { kindCapabilities } from '../kind-operations.js';
import type { DesiredResource } from '../plan/desired.js';
import type { KindDefinition, RemoteObject } from '../provider.js';
import { SENSITIVE_PLACEHOLDER } from '../secret.js';
import type { StateDocument } from '../state/types.js';

/**
 * An object a system holds that roster does not manage: no state entry has its id and no manifest
 * declares its natural key (e.g. an API user someone added by hand).
 */
export interface UnmanagedObject {
  /** Synthetic address `<provider>/<Kind>/<naturalKey>` (what `.rosterignore` patterns match). */
  address: string;
  provider: string;
  kind: string;
  /** The system's id. */
  id: string;
  naturalKey: string;
  /** As the system reports them, in the kind's spec shape (sensitive values masked). */
  attributes: Record<string, unknown>;
  modifiedBy?: string;
  modifiedAt?: string;
}

/** The synthetic address of an object no manifest declares. */
export function unmanagedAddress(provider: string, kind: string, naturalKey: string): string {
  return `${provider}/${kind}/${naturalKey}`;
}

/**
 * Every listed object that is neither in state (by id) nor declared (by natural key). Pure.
 *
 * Not reported, because they are no access anyone added behind roster's back:
 * - objects the provider lists with a `conflict` (not manageable as this kind: an Intacct standard
 *   user, a system role) — roster could not take them over anyway;
 * - deactivated objects: they grant nothing, and roster itself leaves them behind when it
 *   deactivates a resource removed from the manifests. Reactivated by hand, they are reported.
 * Kinds the system cannot list (`read: none`) are never in `remote`, so never reported.
 */
export function detectUnmanaged(input: {
  state: StateDocument;
  desired: ReadonlyArray<Pick<DesiredResource, 'provider' | 'kind' | 'naturalKey'>>;
  /** Objects by provider, then kind, as refreshed; only these kinds are examined. */
  remote: ReadonlyMap<string, ReadonlyMap<string, readonly RemoteObject[]>>;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
}): UnmanagedObject[] {
  const key = (provider: string, kind: string, k: string) => `${provider}\u0000${kind}\u0000${k}`;
  const managedIds = new Set(Object.values(input.state.resources).map((r) => key(r.provider, r.kind, r.id)));
  const declared = new Set(input.desired.map((d) => key(d.provider, d.kind, d.naturalKey)));
  const out: UnmanagedObject[] = [];
  for (const [provider, kinds] of input.remote) {
    for (const [kind, objects] of kinds) {
      const def = input.kindOf(provider, kind);
      if (!def || kindCapabilities(def).read === 'none') continue;
      for (const o of objects) {
        if (o.conflict || o.deactivated) continue;
        if (managedIds.has(key(provider, kind, o.id))) continue;
        if (declared.has(key(provider, kind, o.naturalKey))) continue;
        out.push({
          address: unmanagedAddress(provider, kind, o.naturalKey),
          provider,
          kind,
          id: o.id,
          naturalKey: o.naturalKey,
          attributes: masked(o.attributes, def),
          ...(o.modifiedBy ? { modifiedBy: o.modifiedBy } : {}),
          ...(o.modifiedAt ? { modifiedAt: o.modifiedAt } : {}),
        });
      }
    }
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Attributes as reported, sensitive ones masked and roster's local ones dropped (never the system's). */
function masked(attrs: Record<string, unknown>, def: KindDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(attrs).sort()) {
    const rule = def.attributes[k];
    if (rule?.local) continue;
    out[k] = rule?.sensitive || rule?.writeOnly ? SENSITIVE_PLACEHOLDER : attrs[k];
  }
  return out;
}
