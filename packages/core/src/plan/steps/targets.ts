import type { DesiredResource } from '../desired.js';

/** `--target ADDR`: the targets and, transitively, the declared resources they depend on. */
export function withDependencies(
  desired: readonly DesiredResource[],
  targets: ReadonlySet<string>,
): Set<string> {
  const byAddress = new Map(desired.map((d) => [d.address, d]));
  const out = new Set<string>();
  const stack = [...targets];
  while (stack.length > 0) {
    const a = stack.pop()!;
    if (out.has(a)) continue;
    out.add(a);
    for (const dep of byAddress.get(a)?.dependencies ?? []) stack.push(dep);
  }
  return out;
}
