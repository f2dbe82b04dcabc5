import type { KindDefinition } from '../provider.js';
import type { Permission, World, WorldResource } from './types.js';

/** A `World` over a list of resources; permission rules come from each resource's kind. */
export function makeWorld(
  resources: readonly WorldResource[],
  kindOf: (provider: string, kind: string) => KindDefinition | undefined,
): World {
  const byAddress = new Map<string, WorldResource>();
  for (const r of resources) byAddress.set(r.address, r);
  // By provider, then kind, then natural key or name (nested: a look-up makes no new string). A
  // kind is indexed when a reference first names it: references name few kinds (roles, groups),
  // and indexing the many accounts too was most of the cost of making a world.
  const byKey = new Map<string, Map<string, Map<string, WorldResource>>>();
  const keysOf = (provider: string, kind: string): Map<string, WorldResource> => {
    let kinds = byKey.get(provider);
    if (!kinds) {
      kinds = new Map();
      byKey.set(provider, kinds);
    }
    let keys = kinds.get(kind);
    if (!keys) {
      keys = new Map();
      for (const r of resources) {
        if (r.provider !== provider || r.kind !== kind) continue;
        keys.set(r.naturalKey, r);
        // A reference may also name the resource (metadata.name), as manifests write it.
        if (!keys.has(r.name)) keys.set(r.name, r);
      }
      kinds.set(kind, keys);
    }
    return keys;
  };
  const memo = new Map<string, Permission[]>();
  const shared = sharedLists();
  const computing = new Set<string>();
  const world: World = {
    resources,
    get: (address) => byAddress.get(address),
    resolve(from, kind, ref) {
      const target =
        ref && typeof ref === 'object' && !Array.isArray(ref) ? (ref as { ref?: unknown }).ref : undefined;
      if (typeof target !== 'string') return undefined;
      return byAddress.get(target) ?? keysOf(from.provider, kind).get(target);
    },
    permissionsOf(resource) {
      const cached = memo.get(resource.address);
      if (cached) return cached;
      const rule = kindOf(resource.provider, resource.kind)?.permissions;
      // A reference cycle (which the graph forbids, but a system's data may hold) grants nothing more.
      if (!rule || computing.has(resource.address)) return [];
      computing.add(resource.address);
      try {
        const list = shared.intern(byName(rule({ resource, world })));
        memo.set(resource.address, list);
        return list;
      } finally {
        computing.delete(resource.address);
      }
    },
  };
  return world;
}

/**
 * Permissions sorted by name, one per name: of several with a name the last one given, unless an
 * earlier one escalates (which is kept). Sorted first and merged in one pass, without a map: every
 * account's permissions go through here, and hashing each new name was most of the cost.
 */
function byName(given: readonly Permission[]): Permission[] {
  // Stable: permissions with the same name stay in the order given, for the rule above.
  const list = given.slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let n = 0;
  for (const p of list) {
    const prior = n > 0 ? list[n - 1]! : undefined;
    if (prior?.name === p.name) {
      if (!prior.escalates) list[n - 1] = p;
    } else list[n++] = p;
  }
  list.length = n;
  return list;
}

/**
 * Keeps one list per content: accounts granted the same things (most share a few roles) get the
 * same list. A world keeps every account's permissions until the review ends, and a copy per
 * account was most of the memory planning added, and of the garbage collector's work.
 */
function sharedLists(): { intern(list: Permission[]): Permission[] } {
  const byContent = new Map<string, Permission[]>();
  return {
    intern(list) {
      const key = contentKey(list);
      if (key === undefined) return list;
      const prior = byContent.get(key);
      if (prior) return prior;
      byContent.set(key, list);
      return list;
    },
  };
}

/**
 * A text only lists with equal permissions share (each field length-prefixed, so no two lists
 * read alike); undefined for a list with anything beyond a name, `escalates`, a pointer and a
 * `via` path, which is then kept as given. Accounts holding the same roles have the same paths
 * (the roles' and groups' addresses), so paths do not stop them sharing a list.
 */
function contentKey(list: readonly Permission[]): string | undefined {
  let key = '';
  for (const p of list) {
    for (const k in p)
      if (k !== 'name' && k !== 'escalates' && k !== 'pointer' && k !== 'via') return undefined;
    const { name, escalates, pointer, via } = p as {
      name: unknown;
      escalates?: unknown;
      pointer?: unknown;
      via?: unknown;
    };
    if (typeof name !== 'string') return undefined;
    if (escalates !== undefined && typeof escalates !== 'boolean') return undefined;
    if (pointer !== undefined && typeof pointer !== 'string') return undefined;
    const tag = escalates === undefined ? 'u' : escalates ? 't' : 'f';
    const at = pointer === undefined ? 'u' : `p${pointer.length}:${pointer}`;
    let path = 'u';
    if (via !== undefined) {
      if (!Array.isArray(via)) return undefined;
      path = `v${via.length}`;
      for (const a of via) {
        if (typeof a !== 'string') return undefined;
        path += `${a.length}:${a}`;
      }
    }
    key += `${tag}${name.length}:${name}${at}${path}`;
  }
  return key;
}
