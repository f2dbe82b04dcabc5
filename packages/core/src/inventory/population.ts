import { isDeepStrictEqual } from 'node:util';
import { unmanagedAddress } from '../drift/unmanaged.js';
import type { World, WorldResource } from '../permissions/types.js';
import { makeWorld } from '../permissions/world.js';
import type { DesiredResource } from '../plan/desired.js';
import type { RemoteSnapshot } from '../plan/remote-snapshot.js';
import type { KindDefinition, RemoteObject } from '../provider.js';
import type { StateDocument, StateResource } from '../state/types.js';
import type { InventoryStatus } from './types.js';

export interface PopulationRequest {
  desired: readonly DesiredResource[];
  state: StateDocument;
  /** What a refresh with `listAllKinds` read: every readable kind of every provider. */
  remote: RemoteSnapshot;
  /** Provider name → its `type`. */
  providerTypes: ReadonlyMap<string, string>;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
}

/** One account or connection of the inventory, before its row is worked out. */
export interface PopulationMember {
  /** As the world holds it; for a managed account the system no longer holds, not in the world. */
  resource: WorldResource;
  role: 'account' | 'connector';
  status: InventoryStatus;
  /** In state or declared by a manifest. */
  managed: boolean;
  /**
   * Where roster knows it from: `system` (listed now), `state` (a kind the system cannot list, or
   * one not read: as roster last applied it), `gone` (in state, but its kind was listed without it).
   */
  seen: 'system' | 'state' | 'gone';
  id: string | null;
  remote?: RemoteObject;
  stateEntry?: StateResource;
  desired?: DesiredResource;
}

/** The world as the systems hold it now, and the accounts and connections in it (by address). */
export interface Population {
  world: World;
  members: PopulationMember[];
}

const keyOf = (provider: string, kind: string, k: string) => `${provider}\u0000${kind}\u0000${k}`;

/**
 * Every object the systems hold, as one world (so each kind's `permissions` rule resolves the
 * roles and groups of any account, managed or not), and the members of the inventory: each object
 * of a kind whose role is `account` or `connector`.
 *
 * - Listed objects: managed when state has their id or a manifest declares their natural key,
 *   else unmanaged; deactivated ones included either way (status `deactivated`). Objects a provider
 *   lists with a `conflict` (not manageable as this kind, e.g. an Intacct standard user) are left
 *   out, as `roster drift` leaves them out.
 * - State entries no listed object matches: from state when their kind was not listed (the system
 *   cannot read it, e.g. a Getint connection: it exists because roster made it); `gone` when it was
 *   (deleted outside roster: a member with no permissions, so the gap shows).
 * Pure.
 */
export function inventoryPopulation(req: PopulationRequest): Population {
  const stateById = new Map<string, [string, StateResource]>();
  for (const [address, r] of Object.entries(req.state.resources))
    stateById.set(keyOf(r.provider, r.kind, r.id), [address, r]);
  const desiredByKey = new Map<string, DesiredResource>();
  const desiredByAddress = new Map<string, DesiredResource>();
  for (const d of req.desired) {
    desiredByKey.set(keyOf(d.provider, d.kind, d.naturalKey), d);
    desiredByAddress.set(d.address, d);
  }
  const typeOf = (provider: string) => req.providerTypes.get(provider) ?? '';
  const resources: WorldResource[] = [];
  const members: PopulationMember[] = [];
  const matched = new Set<string>();
  const roleOf = (provider: string, kind: string) => {
    const role = req.kindOf(provider, kind)?.role;
    return role === 'account' || role === 'connector' ? role : undefined;
  };

  for (const [provider, kinds] of req.remote) {
    for (const [kind, objects] of kinds) {
      const def = req.kindOf(provider, kind);
      if (!def) continue;
      for (const o of objects) {
        if (o.conflict) continue;
        const inState = stateById.get(keyOf(provider, kind, o.id));
        const declared = desiredByKey.get(keyOf(provider, kind, o.naturalKey));
        const address = inState?.[0] ?? declared?.address;
        const desired = address !== undefined ? (desiredByAddress.get(address) ?? declared) : undefined;
        if (address !== undefined) matched.add(address);
        const resource = worldResource({
          address: address ?? unmanagedAddress(provider, kind, o.naturalKey),
          provider,
          providerType: typeOf(provider),
          kind,
          name: desired?.name ?? inState?.[1].name ?? o.naturalKey,
          naturalKey: o.naturalKey,
          // What the system cannot report (an attribute it cannot read back, attested) is as roster
          // last applied it; what it reports wins.
          attributes: inState ? { ...inState[1].attributes, ...o.attributes } : o.attributes,
          desired,
        });
        resources.push(resource);
        const role = roleOf(provider, kind);
        if (!role) continue;
        members.push({
          resource,
          role,
          status: o.deactivated ? 'deactivated' : address !== undefined ? 'managed' : 'unmanaged',
          managed: address !== undefined,
          seen: 'system',
          id: o.id,
          remote: o,
          ...(inState ? { stateEntry: inState[1] } : {}),
          ...(desired ? { desired } : {}),
        });
      }
    }
  }

  for (const [address, entry] of Object.entries(req.state.resources)) {
    if (matched.has(address)) continue;
    const def = req.kindOf(entry.provider, entry.kind);
    if (!def) continue;
    const listed = req.remote.get(entry.provider)?.has(entry.kind) ?? false;
    const desired = desiredByAddress.get(address);
    const resource = worldResource({
      address,
      provider: entry.provider,
      providerType: typeOf(entry.provider),
      kind: entry.kind,
      name: desired?.name ?? entry.name,
      naturalKey: entry.naturalKey,
      attributes: entry.attributes,
      desired,
    });
    if (!listed) resources.push(resource);
    const role = roleOf(entry.provider, entry.kind);
    if (!role) continue;
    members.push({
      resource,
      role,
      status: !listed && isDeactivated(def, entry.attributes) ? 'deactivated' : 'managed',
      managed: true,
      seen: listed ? 'gone' : 'state',
      id: entry.id,
      stateEntry: entry,
      ...(desired ? { desired } : {}),
    });
  }

  members.sort((a, b) =>
    a.resource.address < b.resource.address ? -1 : a.resource.address > b.resource.address ? 1 : 0,
  );
  return { world: makeWorld(resources, req.kindOf), members };
}

function worldResource(r: {
  address: string;
  provider: string;
  providerType: string;
  kind: string;
  name: string;
  naturalKey: string;
  attributes: Record<string, unknown>;
  desired: DesiredResource | undefined;
}): WorldResource {
  const { desired } = r;
  return {
    address: r.address,
    provider: r.provider,
    providerType: r.providerType,
    kind: r.kind,
    name: r.name,
    naturalKey: r.naturalKey,
    labels: desired?.labels ?? {},
    attributes: r.attributes,
    ...(desired ? { positionOf: (pointer: string) => desired.positionOf(pointer) } : {}),
  };
}

/** Whether attributes (of an object the system cannot list) say the kind's deactivated value. */
function isDeactivated(def: KindDefinition, attributes: Record<string, unknown>): boolean {
  return (
    def.deactivation !== undefined &&
    isDeepStrictEqual(attributes[def.deactivation.attribute], def.deactivation.value)
  );
}
