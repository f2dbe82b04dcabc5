import type { KindDefinition, ProviderConnection } from '../provider.js';

type KindOf = (provider: string, kind: string) => KindDefinition | undefined;

/**
 * `kindOf` with the rules each open connection states about its system (`attributeRules`) merged
 * over the kinds' declared ones, per provider instance: what one SCIM server calls immutable does
 * not bind another. Only attributes the kind's spec has are touched.
 */
export function withConnectionRules(
  kindOf: KindOf,
  connections: { byName: ReadonlyMap<string, ProviderConnection> },
): KindOf {
  const merged = new Map<string, KindDefinition | undefined>();
  const stated = new Map<string, ReturnType<NonNullable<ProviderConnection['attributeRules']>>>();
  return (provider, kind) => {
    const key = `${provider}\u0000${kind}`;
    if (merged.has(key)) return merged.get(key);
    const def = kindOf(provider, kind);
    if (!stated.has(provider))
      stated.set(provider, connections.byName.get(provider)?.attributeRules?.() ?? {});
    const rules = def && stated.get(provider)?.[kind];
    let out = def;
    if (def && rules) {
      const properties = (def.schema.properties ?? {}) as Record<string, unknown>;
      const attributes = { ...def.attributes };
      for (const [name, rule] of Object.entries(rules))
        if (name in properties) attributes[name] = { ...attributes[name], ...rule };
      out = { ...def, attributes };
    }
    merged.set(key, out);
    return out;
  };
}
