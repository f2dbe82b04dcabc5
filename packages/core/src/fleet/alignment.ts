/**
 * How far a tenant matches the baseline. `applicable`: the baseline resources whose `metadata.tenants`
 * selector matches the tenant (every one without a selector). A resource is `aligned` when it is
 * applicable, no deviation changes or excludes it, the plan has no change for it (so it exists and
 * matches), and it has not drifted. `percent` is `aligned / applicable` rounded down to a whole
 * percent (99.6 % is 99, never a 100 that is not true), or `null` when nothing applies ("n/a").
 */
export interface Alignment {
  applicable: number;
  aligned: number;
  percent: number | null;
}

/** Alignment of one tenant (see `Alignment`). Pure. */
export function alignmentOf(input: {
  applicable: readonly string[];
  /** Addresses a deviation merges into or excludes. */
  deviated: Iterable<string>;
  /** Addresses with a pending change (planned, failed, or a manual step not done). */
  changed: Iterable<string>;
  /** Addresses that drifted outside roster. */
  drifted: Iterable<string>;
}): Alignment {
  const out = new Set([...input.deviated, ...input.changed, ...input.drifted]);
  const applicable = new Set(input.applicable);
  let aligned = 0;
  for (const a of applicable) if (!out.has(a)) aligned++;
  const n = applicable.size;
  return { applicable: n, aligned, percent: n === 0 ? null : Math.floor((aligned * 100) / n) };
}

/** `87 %`, or `n/a` when no baseline resource applies. */
export function formatAlignment(a: Alignment | undefined): string {
  return a === undefined || a.percent === null ? 'n/a' : `${a.percent} %`;
}
