import type { World, WorldResource } from '../permissions/types.js';
import type { KindDefinition } from '../provider.js';

/**
 * The roles, security levels and groups a resource holds, as the system names them (the target's
 * natural key; the reference as written when the world has no such target), sorted. Read from its
 * kind's attribute rules: every attribute whose `ref` names a kind of role `role` or `group`. Pure.
 */
export function heldRoles(
  resource: WorldResource,
  world: World,
  kindOf: (provider: string, kind: string) => KindDefinition | undefined,
): string[] {
  const def = kindOf(resource.provider, resource.kind);
  if (!def) return [];
  const out = new Set<string>();
  for (const [attribute, rule] of Object.entries(def.attributes)) {
    if (!rule.ref) continue;
    const role = kindOf(resource.provider, rule.ref)?.role;
    if (role !== 'role' && role !== 'group') continue;
    const value = resource.attributes[attribute];
    for (const ref of Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]) {
      const target = world.resolve(resource, rule.ref, ref);
      const written = ref && typeof ref === 'object' ? (ref as { ref?: unknown }).ref : undefined;
      const name = target?.naturalKey ?? (typeof written === 'string' ? written : undefined);
      if (name !== undefined) out.add(name);
    }
  }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
