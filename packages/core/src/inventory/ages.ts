import { rotateAfterDaysOf } from '../plan/local-attributes.js';
import type { KindDefinition } from '../provider.js';
import type { StateResource } from '../state/types.js';
import type { InventoryAccount } from './types.js';

const DAY_MS = 86_400_000;

/** Whole days from `at` (RFC 3339) to `now`; never negative (a clock behind the record's). */
export function daysSince(at: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(at)) / DAY_MS));
}

/**
 * Credential age and rotation due date: issued when roster last saw them issued (state
 * `credentialsIssuedAt`), rotated every `credentials.rotateAfterDays` of the manifest (a `local`
 * attribute, so only a declared account has it). Pure.
 */
export function credentialAges(req: {
  stateEntry: StateResource | undefined;
  spec: Record<string, unknown> | undefined;
  def: KindDefinition | undefined;
  now: Date;
}): InventoryAccount['credentials'] {
  const issuedAt = req.stateEntry?.credentialsIssuedAt ?? null;
  const rotateAfterDays = (req.spec && req.def && rotateAfterDaysOf(req.spec, req.def.attributes)) ?? null;
  const due =
    issuedAt !== null && rotateAfterDays !== null
      ? new Date(Date.parse(issuedAt) + rotateAfterDays * DAY_MS).toISOString().slice(0, 10)
      : null;
  return {
    issuedAt,
    ageDays: issuedAt !== null ? daysSince(issuedAt, req.now) : null,
    rotateAfterDays,
    rotationDue: due,
  };
}

/** The oldest attestation still in state (what a reviewer would re-confirm first); null when none. */
export function oldestAttestation(
  stateEntry: StateResource | undefined,
  now: Date,
): InventoryAccount['attestation'] {
  let oldest: { at: string; by: string } | undefined;
  for (const a of Object.values(stateEntry?.attestations ?? {}))
    if (!oldest || Date.parse(a.at) < Date.parse(oldest.at)) oldest = a;
  return oldest ? { at: oldest.at, by: oldest.by, ageDays: daysSince(oldest.at, now) } : null;
}
