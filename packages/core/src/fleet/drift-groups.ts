import type { TenantResult } from './tenant-result.js';

/** Drift that is the same in several tenants: one cause, the tenants it is seen in. */
export interface DriftGroup {
  kind: string;
  /** The baseline resource's name as written (placeholders unfilled). */
  resource: string;
  status: 'changed' | 'deleted';
  /** The attribute (`/active`), `''` for a deleted object. */
  attribute: string;
  expected?: unknown;
  actual?: unknown;
  /** Sorted by name. */
  tenants: string[];
}

/**
 * Group the fleet's drift by cause: the same kind, baseline resource, attribute, and the same
 * before → after values across tenants are one group listing the tenants. Groups seen in the most
 * tenants first, then by kind, resource and attribute. Pure.
 */
export function groupDrift(results: readonly TenantResult[]): DriftGroup[] {
  const groups = new Map<string, DriftGroup>();
  for (const r of results) {
    for (const d of r.drift) {
      const key = JSON.stringify([d.kind, d.resource, d.status, d.attribute, d.expected, d.actual]);
      let g = groups.get(key);
      if (!g) {
        g = {
          kind: d.kind,
          resource: d.resource,
          status: d.status,
          attribute: d.attribute,
          ...(d.status === 'changed' ? { expected: d.expected, actual: d.actual } : {}),
          tenants: [],
        };
        groups.set(key, g);
      }
      if (!g.tenants.includes(r.tenant)) g.tenants.push(r.tenant);
    }
  }
  return [...groups.values()]
    .map((g) => ({ ...g, tenants: g.tenants.sort() }))
    .sort(
      (a, b) =>
        b.tenants.length - a.tenants.length ||
        a.kind.localeCompare(b.kind) ||
        a.resource.localeCompare(b.resource) ||
        a.attribute.localeCompare(b.attribute),
    );
}
