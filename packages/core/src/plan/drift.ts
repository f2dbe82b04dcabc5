import type { KindDefinition, RemoteObject } from '../provider.js';
import type { StateDocument } from '../state/types.js';
import { canonical, containsOutputRef, sameValue } from './canonical.js';
import type { DriftEntry } from './types.js';

/**
 * Compare what roster last applied (state) with what the system has now: every attribute someone
 * changed outside roster, and every object deleted outside roster. Pure.
 */
export function detectDrift(input: {
  state: StateDocument;
  remote: Map<string, Map<string, RemoteObject[]>>;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
}): DriftEntry[] {
  const byId = new Map<string, RemoteObject>();
  for (const [provider, kinds] of input.remote) {
    for (const [kind, objects] of kinds) {
      for (const o of objects) byId.set(`${provider}\u0000${kind}\u0000${o.id}`, o);
    }
  }
  const out: DriftEntry[] = [];
  for (const address of Object.keys(input.state.resources).sort()) {
    const st = input.state.resources[address]!;
    if (!input.remote.get(st.provider)?.has(st.kind)) continue; // not refreshed on this run
    const def = input.kindOf(st.provider, st.kind);
    const remote = byId.get(`${st.provider}\u0000${st.kind}\u0000${st.id}`);
    if (!remote) {
      out.push({ address, provider: st.provider, kind: st.kind, status: 'deleted', attributes: [] });
      continue;
    }
    const attributes: DriftEntry['attributes'] = [];
    for (const key of Object.keys(st.attributes).sort()) {
      const expected = st.attributes[key];
      const rule = def?.attributes[key];
      if (rule?.sensitive || rule?.writeOnly || rule?.verifiable === false) continue;
      // A value wired from another resource's output is kept as the reference, not the value.
      if (containsOutputRef(expected)) continue;
      const actual = remote.attributes[key];
      if (!sameValue(canonical(expected, rule), canonical(actual, rule))) {
        attributes.push({ path: `/${key}`, expected, actual: actual === undefined ? null : actual });
      }
    }
    if (attributes.length > 0) {
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
