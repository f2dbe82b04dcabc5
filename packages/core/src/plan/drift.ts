import type { KindDefinition, RemoteObject } from '../provider.js';
import type { StateDocument } from '../state/types.js';
import { containsOutputRef, sameCanonical } from './canonical.js';
import { isGuarded } from './guard-privileges.js';
import { indexRemote, type RemoteIndex } from './remote-index.js';
import type { DriftEntry } from './types.js';

/**
 * Compare what roster last applied (state) with what the system has now: every attribute someone
 * changed outside roster, and every object deleted outside roster. Pure.
 */
export function detectDrift(input: {
  state: StateDocument;
  remote: Map<string, Map<string, RemoteObject[]>>;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
  /** `remote` indexed, when the caller has it already. */
  index?: RemoteIndex;
  /** The keys of `state.resources` sorted, when the caller has them already. */
  addresses?: readonly string[];
}): DriftEntry[] {
  const index = input.index ?? indexRemote(input.remote);
  const out: DriftEntry[] = [];
  for (const address of input.addresses ?? Object.keys(input.state.resources).sort()) {
    const st = input.state.resources[address]!;
    if (!input.remote.get(st.provider)?.has(st.kind)) continue; // not refreshed on this run
    const def = input.kindOf(st.provider, st.kind);
    const remote = index.byId(st.provider, st.kind, st.id);
    if (!remote) {
      out.push({ address, provider: st.provider, kind: st.kind, status: 'deleted', attributes: [] });
      continue;
    }
    const attributes: DriftEntry['attributes'] = [];
    const ignored = st.lifecycle?.ignoreChanges ?? [];
    for (const key of driftKeys(st.attributes, def, ignored)) {
      // A guarded privilege that state does not hold (recorded before roster guarded it) is
      // expected to be what its absence means: a right granted by hand must show up either way.
      const rule = def?.attributes[key];
      const expected = key in st.attributes ? st.attributes[key] : rule?.absent;
      if (rule?.sensitive || rule?.writeOnly || rule?.verifiable === false) continue;
      // A value wired from another resource's output is kept as the reference, not the value.
      if (containsOutputRef(expected)) continue;
      const actual = remote.attributes[key];
      if (!sameCanonical(expected, actual, rule)) {
        attributes.push({ path: `/${key}`, expected, actual: actual === undefined ? null : actual });
      }
    }
    if (attributes.length > 0) {
      // By attribute name: sorted here, among the few that drifted, rather than every key of every resource.
      attributes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      out.push({
        address,
        provider: st.provider,
        kind: st.kind,
        status: 'changed',
        attributes,
        ...(remote.modifiedBy ? { modifiedBy: remote.modifiedBy } : {}),
        ...(remote.modifiedAt ? { modifiedAt: remote.modifiedAt } : {}),
      });
    }
  }
  return out;
}

/** The attributes drift compares: what state recorded, and every guarded privilege; not the ignored ones. */
function driftKeys(
  recorded: Record<string, unknown>,
  def: KindDefinition | undefined,
  ignored: readonly string[],
): string[] {
  const keys = Object.keys(recorded);
  for (const [key, rule] of Object.entries(def?.attributes ?? {})) {
    if (isGuarded(rule) && !(key in recorded)) keys.push(key);
  }
  return ignored.length === 0 ? keys : keys.filter((k) => !ignored.includes(k));
}
