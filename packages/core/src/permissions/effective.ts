import type { DesiredResource } from '../plan/desired.js';
import type { PlannedChange } from '../plan/types.js';
import type { KindDefinition } from '../provider.js';
import type { PermissionChange, World, WorldResource } from './types.js';
import { makeWorld } from './world.js';

export interface PlanWorldsRequest {
  desired: readonly DesiredResource[];
  changes: readonly PlannedChange[];
  /** Provider name → its `type`. */
  providerTypes: ReadonlyMap<string, string>;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
}

/**
 * The resources as they are now (`before`) and as they will be once the plan is applied
 * (`after`), across every provider. A resource the plan does not change is the same on both
 * sides; one it creates exists only after; one it deletes only before. Pure.
 */
export function planWorlds(req: PlanWorldsRequest): { before: World; after: World } {
  const first = new Map<string, PlannedChange>();
  const last = new Map<string, PlannedChange>();
  for (const c of req.changes) {
    if (!first.has(c.address)) first.set(c.address, c);
    last.set(c.address, c);
  }
  const typeOf = (provider: string) => req.providerTypes.get(provider) ?? '';
  const fromDesired = (d: DesiredResource, attributes: Record<string, unknown>): WorldResource => ({
    address: d.address,
    provider: d.provider,
    providerType: typeOf(d.provider),
    kind: d.kind,
    name: d.name,
    naturalKey: d.naturalKey,
    labels: d.labels,
    attributes,
    positionOf: (pointer) => d.positionOf(pointer),
  });
  const fromChange = (c: PlannedChange, attributes: Record<string, unknown>): WorldResource => ({
    address: c.address,
    provider: c.provider,
    providerType: typeOf(c.provider),
    kind: c.kind,
    name: c.name,
    naturalKey: c.naturalKey,
    labels: {},
    attributes,
  });

  const after: WorldResource[] = req.desired.map((d) => fromDesired(d, d.spec));
  // A plan without changes leaves the world as it is: one world serves as both sides, so each
  // account's permissions are worked out once instead of twice (they could only come out equal).
  if (req.changes.length === 0) {
    const world = makeWorld(after, req.kindOf);
    return { before: world, after: world };
  }
  const before: WorldResource[] = [];
  const desiredAddresses = new Set<string>();
  for (const [i, d] of req.desired.entries()) {
    desiredAddresses.add(d.address);
    const c = first.get(d.address);
    // Unchanged: the same resource as after (no second copy of every resource the plan leaves alone).
    if (!c) before.push(after[i]!);
    else if (c.before) before.push(fromDesired(d, c.before));
  }
  // Resources leaving the manifests: deleted (gone after) or deactivated (still there, inactive).
  for (const [address, c] of first) {
    if (desiredAddresses.has(address)) continue;
    if (c.before) before.push(fromChange(c, c.before));
    const end = last.get(address)!;
    if (end.after) after.push(fromChange(end, end.after));
  }
  return { before: makeWorld(before, req.kindOf), after: makeWorld(after, req.kindOf) };
}

/** Every resource whose permissions the plan changes: what it gains and what it loses. Pure. */
export function permissionChanges(
  worlds: { before: World; after: World },
  kindOf: (provider: string, kind: string) => KindDefinition | undefined,
): PermissionChange[] {
  // One world on both sides (a plan without changes): nothing can be gained or lost, and working
  // out every account's permissions only to compare them with themselves was most of the review.
  if (worlds.before === worlds.after) return [];
  const addresses = new Set<string>();
  for (const side of [worlds.before, worlds.after])
    for (const r of side.resources) if (kindOf(r.provider, r.kind)?.permissions) addresses.add(r.address);
  const out: PermissionChange[] = [];
  for (const address of [...addresses].sort()) {
    const b = worlds.before.get(address);
    const a = worlds.after.get(address);
    const r = (a ?? b)!;
    const beforeNames = b ? worlds.before.permissionsOf(b).map((p) => p.name) : [];
    const afterNames = a ? worlds.after.permissionsOf(a).map((p) => p.name) : [];
    const had = new Set(beforeNames);
    const has = new Set(afterNames);
    const gained = afterNames.filter((n) => !had.has(n));
    const lost = beforeNames.filter((n) => !has.has(n));
    if (gained.length === 0 && lost.length === 0) continue;
    out.push({
      address,
      provider: r.provider,
      kind: r.kind,
      before: beforeNames,
      after: afterNames,
      gained,
      lost,
    });
  }
  return out;
}
