import { INVENTORY_POLICIES } from '../inventory/findings/rules.js';
import { type KindCapabilities, kindCapabilities } from '../kind-operations.js';
import { BUILTIN_POLICIES } from '../policy/builtin.js';
import type { PolicyRule } from '../policy/types.js';
import type { Execution, KindRole, Operation, Provider } from '../provider.js';

/** What `roster providers` reports for one provider type. */
export interface ProviderInfo {
  type: string;
  displayName: string;
  description: string;
  kinds: Array<{
    kind: string;
    description: string;
    /** What the kind is to core: account, role, group or connector. */
    role: KindRole;
    operations: Record<Operation, Execution>;
    removal: string;
    naturalKey: string;
    attributes: Array<{
      name: string;
      /** `verified` (read back from the system), `attested` (a person confirms it) or `local` (roster's own). */
      provenance: 'verified' | 'attested' | 'local';
      /** How a change of it is made on an existing object. */
      update: Execution;
      /** Rule flags, `createValues: …`, `ref: Kind`, and for a guarded privilege `absent: <value>`. */
      rules: string[];
      description?: string;
    }>;
  }>;
  /** The provider's policy rules (core's apply to every provider: `describePolicies`). */
  policies: PolicyInfo[];
}

/** A policy rule as `roster providers` lists it. */
export interface PolicyInfo {
  id: string;
  severity: string;
  description: string;
}

/** Core's policy rules, which apply to every system. */
export function describePolicies(
  rules: readonly PolicyRule[] = [...BUILTIN_POLICIES, ...INVENTORY_POLICIES],
): PolicyInfo[] {
  return rules.map((r) => ({ id: r.id, severity: r.severity, description: r.description }));
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
        role: def.role,
        operations: operationsOf(kindCapabilities(def)),
        removal:
          def.deleteMode === 'deactivate'
            ? `deactivate (${def.deactivation?.attribute}: ${JSON.stringify(def.deactivation?.value)})`
            : 'delete',
        naturalKey: def.naturalKeyAttribute,
        attributes: names.map((name) => {
          const rule = def.attributes[name] ?? {};
          const rules: string[] = RULE_FLAGS.filter((f) => rule[f] === true);
          if (rule.createValues)
            rules.push(`createValues: ${rule.createValues.map((v) => JSON.stringify(v)).join('|')}`);
          if (rule.ref) rules.push(`ref: ${rule.ref}`);
          // A guarded privilege: what leaving it out of a manifest means (planned back, drift-checked).
          if (rule.privilege && rule.absent !== undefined)
            rules.push(`absent: ${JSON.stringify(rule.absent)}`);
          const description = rule.description ?? props[name]?.description;
          const provenance = rule.local ? 'local' : rule.verifiable === false ? 'attested' : 'verified';
          return {
            name,
            provenance,
            update: rule.local ? ('none' as const) : (rule.update ?? kindCapabilities(def).update),
            rules,
            ...(description ? { description } : {}),
          };
        }),
      };
    }),
    policies: describePolicies(p.policies ?? []),
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
      lines.push(
        `    operations: ${ops}; removal: ${k.removal}; natural key: ${k.naturalKey}; role: ${k.role}`,
      );
      for (const a of k.attributes) {
        const rules = a.rules.length ? ` [${a.rules.join(', ')}]` : '';
        const change = a.rules.includes('immutable')
          ? 'never changed'
          : a.rules.includes('fixedAtCreation')
            ? 'a change replaces the object'
            : `changed by ${a.update}`;
        const how = a.provenance === 'local' ? 'roster only (never sent)' : `${a.provenance}, ${change}`;
        lines.push(`    - ${a.name}: ${how}${rules}`);
      }
      lines.push('');
    }
    for (const r of p.policies) lines.push(`  policy ${r.id} (${r.severity}): ${r.description}`);
    if (p.policies.length > 0) lines.push('');
  }
  lines.push('Policy rules of every system (configure with a kind: Policy manifest):');
  for (const r of describePolicies()) lines.push(`  policy ${r.id} (${r.severity}): ${r.description}`);
  return lines.join('\n');
}

/** The four operations of `roster providers` (rotation is shown with the credentials, not here). */
function operationsOf(caps: KindCapabilities): Record<Operation, Execution> {
  return { create: caps.create, read: caps.read, update: caps.update, delete: caps.delete };
}
