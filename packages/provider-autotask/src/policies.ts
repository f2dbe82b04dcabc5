import type { PolicyRule, World, WorldResource } from '@roster/core';
import { SYSTEM_API_LEVELS } from './facts.js';

/** The built-in API level that can read costs (the other one, the vendor's recommendation, cannot). */
export const COST_READING_LEVEL = SYSTEM_API_LEVELS[0];

/** The built-in level a security level was copied from, following copies of copies. */
export function baseLevelOf(level: WorldResource, world: World): string | undefined {
  const seen = new Set<string>();
  let current: WorldResource | undefined = level;
  while (current && !seen.has(current.address)) {
    seen.add(current.address);
    const from = current.attributes.copiedFrom;
    if (typeof from !== 'string') return undefined;
    if ((SYSTEM_API_LEVELS as readonly string[]).includes(from)) return from;
    current = world.resolve(current, 'SecurityLevel', { ref: from });
  }
  return undefined;
}

/** Autotask's policy rules. */
export const autotaskPolicies: PolicyRule[] = [
  {
    id: 'autotask.cost-reading-base-level',
    description: `An API user whose security level is copied from "${COST_READING_LEVEL}", which reads costs, without needsCosts: true — the vendor procedure recommends the "Can't Read Costs" level.`,
    severity: 'warning',
    evaluate(ctx) {
      return ctx.desired
        .filter(
          (r) =>
            r.providerType === 'autotask' && r.kind === 'ServiceAccount' && r.attributes.needsCosts !== true,
        )
        .flatMap((r) => {
          const level = ctx.world.resolve(r, 'SecurityLevel', r.attributes.securityLevel);
          if (!level || baseLevelOf(level, ctx.world) !== COST_READING_LEVEL) return [];
          return [
            {
              address: r.address,
              message: `${r.address} gets a security level copied from "${COST_READING_LEVEL}", which can read costs: copy "${SYSTEM_API_LEVELS[1]}" instead, or declare needsCosts: true`,
              pointer: '/spec/securityLevel',
            },
          ];
        });
    },
  },
];
