import type { World } from '../permissions/types.js';
import type { DriftEntry } from '../plan/types.js';
import type { KindDefinition } from '../provider.js';
import { credentialAges, oldestAttestation } from './ages.js';
import { lastUsedOf } from './last-used.js';
import type { PopulationMember } from './population.js';
import { heldRoles } from './roles.js';
import type { InventoryAccount, InventoryPermission } from './types.js';

export interface AccountRowContext {
  world: World;
  /** The refresh-only plan's drift, by address. */
  drift: ReadonlyMap<string, DriftEntry>;
  now: Date;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
}

/** One member of the population as an inventory row. Pure. */
export function inventoryAccount(member: PopulationMember, ctx: AccountRowContext): InventoryAccount {
  const r = member.resource;
  const def = ctx.kindOf(r.provider, r.kind);
  const label = (name: string) => r.labels[name]?.trim() || null;
  const at = member.desired?.positionOf('/metadata/name');
  const held = member.seen !== 'gone';
  return {
    address: r.address,
    name: r.name,
    system: r.providerType,
    provider: r.provider,
    kind: r.kind,
    role: member.role,
    status: member.status,
    id: member.id,
    naturalKey: r.naturalKey,
    owner: label('owner'),
    backupOwner: label('backup-owner'),
    purpose: label('purpose'),
    labels: { ...r.labels },
    roles: held ? heldRoles(r, ctx.world, ctx.kindOf) : [],
    permissions: held ? ctx.world.permissionsOf(r).map(permission) : [],
    credentials: credentialAges({
      stateEntry: member.stateEntry,
      spec: member.desired?.spec,
      def,
      now: ctx.now,
    }),
    attestation: oldestAttestation(member.stateEntry, ctx.now),
    drift: driftOf(member, ctx.drift),
    lastUsed: lastUsedOf(member, def),
    ...(at ? { file: at.file, line: at.line, column: at.column } : {}),
  };
}

function permission(p: { name: string; escalates?: boolean; via?: string[] }): InventoryPermission {
  return { name: p.name, ...(p.escalates ? { escalates: true } : {}), via: p.via ? [...p.via] : [] };
}

/**
 * `unmanaged` for an object nothing declares; else the plan's drift; `deleted` for one the system
 * no longer holds; `unknown` where nothing can be compared (a kind the system cannot read, or an
 * object roster has not applied yet, so there is no record of what it set).
 */
function driftOf(
  member: PopulationMember,
  drift: ReadonlyMap<string, DriftEntry>,
): InventoryAccount['drift'] {
  if (!member.managed) return 'unmanaged';
  if (member.seen === 'gone') return 'deleted';
  const entry = drift.get(member.resource.address);
  if (entry) return entry.status;
  return member.seen === 'system' && member.stateEntry ? 'in-sync' : 'unknown';
}
