import type { Execution, Operation, Provider } from '../provider.js';

/** What `roster providers` reports for one provider type. */
export interface ProviderInfo {
  type: string;
  displayName: string;
  description: string;
  kinds: Array<{
    kind: string;
    description: string;
    operations: Record<Operation, Execution>;
    removal: string;
    naturalKey: string;
    attributes: Array<{ name: string; verified: boolean; rules: string[]; description?: string }>;
  }>;
}

const RULE_FLAGS = ['immutable', 'fixedAtCreation', 'sensitive', 'writeOnly', 'set', 'privilege'] as const;

export function describeProviders(providers: readonly Provider[]): ProviderInfo[] {
  return providers.map((p) => ({
    type: p.type,
    displayName: p.displayName,
    description: p.description,
    kinds: Object.entries(p.kinds).map(([kind, def]) => {
      const props = ((def.schema as { properties?: Record<string, { description?: string }> }).properties ??
        {}) as Record<string, { description?: string }>;
      const names = [...new Set([...Object.keys(props), ...Object.keys(def.attributes)])];
      return {
        kind,
        description: def.description,
        operations: def.capabilities,
        removal:
          def.deleteMode === 'deactivate'
            ? `deactivate (${def.deactivation?.attribute}: ${JSON.stringify(def.deactivation?.value)})`
            : 'delete',
        naturalKey: def.naturalKeyAttribute,
        attributes: names.map((name) => {
          const rule = def.attributes[name] ?? {};
          const rules: string[] = RULE_FLAGS.filter((f) => rule[f] === true);
          if (rule.createValues) rules.push(`createValues: ${rule.createValues.join('|')}`);
          if (rule.ref) rules.push(`ref: ${rule.ref}`);
          const description = rule.description ?? props[name]?.description;
          return {
            name,
            verified: rule.verifiable !== false,
            rules,
            ...(description ? { description } : {}),
          };
        }),
      };
    }),
  }));
}

export function renderProvidersText(info: ProviderInfo[]): string {
  const lines: string[] = [];
  for (const p of info) {
    lines.push(`${p.type} — ${p.displayName}`, `  ${p.description}`, '');
    for (const k of p.kinds) {
      const ops = Object.entries(k.operations)
        .map(([op, how]) => `${op}: ${how}`)
        .join(', ');
      lines.push(`  ${k.kind}: ${k.description}`);
      lines.push(`    operations: ${ops}; removal: ${k.removal}; natural key: ${k.naturalKey}`);
      for (const a of k.attributes) {
        const rules = a.rules.length ? ` [${a.rules.join(', ')}]` : '';
        lines.push(`    - ${a.name}: ${a.verified ? 'verified' : 'attested'}${rules}`);
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}
