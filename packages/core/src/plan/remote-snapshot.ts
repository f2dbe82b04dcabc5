import { isUnreadable } from '../kind-operations.js';
import type { KindDefinition, RemoteObject } from '../provider.js';
import type { StateDocument } from '../state/types.js';

/** Remote objects by `provider` then `kind`, as refreshed. A missing kind was not read. */
export type RemoteSnapshot = Map<string, Map<string, RemoteObject[]>>;

/**
 * The snapshot with kinds the system cannot read (capability `read: none`) filled from state:
 * such objects exist as far as roster knows because roster made them, or a person confirmed them.
 */
export function withUnreadableKinds(input: {
  remote: RemoteSnapshot;
  state: StateDocument;
  desired: ReadonlyArray<{ provider: string; kind: string }>;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
  /** The keys of `state.resources`, when the caller has listed them already. */
  stateAddresses?: readonly string[];
}): RemoteSnapshot {
  const out: RemoteSnapshot = new Map();
  for (const [p, kinds] of input.remote) out.set(p, new Map(kinds));
  // Kinds in use, by provider: nested rather than under joined keys, which would make a new string
  // for each of the (many) resources.
  const wanted = new Map<string, Set<string>>();
  let last: { provider: string; kind: string } | undefined;
  const want = (r: { provider: string; kind: string }) => {
    // Resources mostly come grouped by kind: one like the one before adds nothing.
    if (last && last.provider === r.provider && last.kind === r.kind) return;
    last = r;
    const set = wanted.get(r.provider);
    if (set) set.add(r.kind);
    else wanted.set(r.provider, new Set([r.kind]));
  };
  for (const d of input.desired) want(d);
  for (const address of input.stateAddresses ?? Object.keys(input.state.resources)) {
    want(input.state.resources[address]!);
  }
  for (const [provider, kindsWanted] of wanted) {
    const kinds = out.get(provider);
    if (!kinds) continue;
    for (const kind of kindsWanted) {
      if (kinds.has(kind) || !isUnreadable(input.kindOf(provider, kind))) continue;
      kinds.set(
        kind,
        Object.values(input.state.resources)
          .filter((r) => r.provider === provider && r.kind === kind)
          .map((r) => ({ id: r.id, naturalKey: r.naturalKey, attributes: r.attributes })),
      );
    }
  }
  return out;
}
