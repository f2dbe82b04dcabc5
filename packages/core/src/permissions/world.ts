import type { KindDefinition } from '../provider.js';
import type { Permission, World, WorldResource } from './types.js';

/** A `World` over a list of resources; permission rules come from each resource's kind. */
export function makeWorld(
  resources: readonly WorldResource[],
  kindOf: (provider: string, kind: string) => KindDefinition | undefined,
): World {
  const byAddress = new Map(resources.map((r) => [r.address, r]));
  const byKey = new Map<string, WorldResource>();
  for (const r of resources) {
    byKey.set(`${r.provider}\u0000${r.kind}\u0000${r.naturalKey}`, r);
    // A reference may also name the resource (metadata.name), as manifests write it.
    const named = `${r.provider}\u0000${r.kind}\u0000${r.name}`;
    if (!byKey.has(named)) byKey.set(named, r);
  }
  const memo = new Map<string, Permission[]>();
  const computing = new Set<string>();
  const world: World = {
    resources,
    get: (address) => byAddress.get(address),
    resolve(from, kind, ref) {
      const target =
        ref && typeof ref === 'object' && !Array.isArray(ref) ? (ref as { ref?: unknown }).ref : undefined;
      if (typeof target !== 'string') return undefined;
      return byAddress.get(target) ?? byKey.get(`${from.provider}\u0000${kind}\u0000${target}`);
    },
    permissionsOf(resource) {
      const cached = memo.get(resource.address);
      if (cached) return cached;
      const rule = kindOf(resource.provider, resource.kind)?.permissions;
      // A reference cycle (which the graph forbids, but a system's data may hold) grants nothing more.
      if (!rule || computing.has(resource.address)) return [];
      computing.add(resource.address);
      try {
        const seen = new Map<string, Permission>();
        for (const p of rule({ resource, world })) {
          const prior = seen.get(p.name);
          seen.set(p.name, prior?.escalates ? prior : p);
        }
        const list = [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        memo.set(resource.address, list);
        return list;
      } finally {
        computing.delete(resource.address);
      }
    },
  };
  return world;
}
