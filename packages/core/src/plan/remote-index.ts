import type { RemoteObject } from '../provider.js';

/** Remote objects of a snapshot by id and by natural key, within their provider and kind. */
export interface RemoteIndex {
  byId(provider: string, kind: string, id: string): RemoteObject | undefined;
  byKey(provider: string, kind: string, key: string): RemoteObject | undefined;
}

interface KindIndex {
  objects: readonly RemoteObject[];
  ids: Map<string, RemoteObject>;
  /** Made on the first look-up by key: most plans match every object by id (from state). */
  keys?: Map<string, RemoteObject>;
}

/**
 * Index a snapshot (objects by provider, then kind). Maps nested by provider and kind rather than
 * one map under joined keys: a lookup then makes no new string, and planning looks up every
 * resource more than once. Ids and keys are compared as text, as they appear in state files.
 */
export function indexRemote(
  remote: ReadonlyMap<string, ReadonlyMap<string, readonly RemoteObject[]>>,
): RemoteIndex {
  const index = new Map<string, Map<string, KindIndex>>();
  for (const [provider, kinds] of remote) {
    const byKind = new Map<string, KindIndex>();
    index.set(provider, byKind);
    for (const [kind, objects] of kinds) {
      const ids = new Map<string, RemoteObject>();
      for (const o of objects) ids.set(String(o.id), o);
      byKind.set(kind, { objects, ids });
    }
  }
  return {
    byId: (p, k, id) => index.get(p)?.get(k)?.ids.get(String(id)),
    byKey(p, k, key) {
      const kind = index.get(p)?.get(k);
      if (!kind) return undefined;
      kind.keys ??= byNaturalKey(kind.objects);
      return kind.keys.get(String(key));
    },
  };
}

function byNaturalKey(objects: readonly RemoteObject[]): Map<string, RemoteObject> {
  const keys = new Map<string, RemoteObject>();
  for (const o of objects) {
    const k = String(o.naturalKey);
    // Prefer the manageable object when a natural key is shared with a conflicting one.
    const prior = keys.get(k);
    if (!prior || prior.conflict) keys.set(k, o);
  }
  return keys;
}
