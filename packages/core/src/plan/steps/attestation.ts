import { fmt } from '../../format/fmt.js';
import type { AttributeRule, RemoteObject } from '../../provider.js';
import type { PendingStep, StateDocument, StateResource } from '../../state/types.js';
import type { Plan } from '../types.js';
import { type Draft, draft, type Subject } from './draft.js';

/** How long a person's confirmation of an unreadable attribute holds before it is asked again. */
export const DEFAULT_ATTESTATION_MAX_AGE_DAYS = 90;

const DAY_MS = 86_400_000;

/** What roster knows of the attributes the system cannot report (`verifiable: false`). */
export interface AttestedView {
  /** The object with each unreadable attribute as a person confirmed it (left out when never). */
  remote: RemoteObject;
  /** Unreadable attributes nobody confirmed for this object. */
  unattested: string[];
  /** Unattested attributes a runbook step handed out earlier set (it created the object). */
  fromRunbook: string[];
  /** Attributes to confirm again: never confirmed, or confirmed too long ago. */
  toConfirm: string[];
}

/**
 * Attributes the system cannot report are compared with what a person confirmed (state). A
 * runbook step handed out earlier that created the object vouches for its unreadable attributes.
 */
export function attestedView(req: {
  keys: readonly string[];
  rules: Record<string, AttributeRule>;
  remote: RemoteObject;
  /** State's record of this very object (same id), if any. */
  recorded: StateResource | undefined;
  pending: PendingStep | undefined;
  maxAgeDays: number;
  now: Date;
}): AttestedView {
  const { keys, rules, recorded } = req;
  let remote = req.remote;
  const unverifiable = keys.filter((k) => rules[k]?.verifiable === false);
  const unattested = unverifiable.filter((k) => !recorded || !(k in recorded.attributes));
  if (unverifiable.length > 0) {
    const attrs = { ...remote.attributes };
    for (const k of unverifiable) {
      if (recorded && k in recorded.attributes) attrs[k] = recorded.attributes[k];
      else delete attrs[k];
    }
    remote = { ...remote, attributes: attrs };
  }
  const fromRunbook = !recorded && req.pending?.operation === 'create' ? unattested : [];
  const toConfirm = fromRunbook.length > 0 ? [] : [...unattested];
  if (recorded?.attestations) {
    for (const [k, a] of Object.entries(recorded.attestations)) {
      const ageDays = (req.now.getTime() - Date.parse(a.at)) / DAY_MS;
      if (keys.includes(k) && ageDays > req.maxAgeDays && !toConfirm.includes(k)) toConfirm.push(k);
    }
  }
  return { remote, unattested, fromRunbook, toConfirm };
}

/** A manual step that confirms again what roster cannot read (missing or expired attestations). */
export function reconfirmDraft(
  subject: Subject,
  attributes: string[],
  before: Record<string, unknown>,
  remote: RemoteObject,
  fp: string,
): Draft | undefined {
  if (attributes.length === 0) return undefined;
  const desired = subject.desired ?? {};
  const values = Object.fromEntries(attributes.map((k) => [k, desired[k]]));
  return draft(subject, {
    action: 'no-op',
    reasons: attributes.map((k) => ({
      path: `/${k}`,
      rule: 'attestation',
      message:
        k in before
          ? `${k} cannot be read from the system and its last confirmation has expired: confirm it is still ${fmt(desired[k])}`
          : `${k} cannot be read from the system and no one has confirmed it yet: confirm it is ${fmt(desired[k])}`,
    })),
    before,
    after: { ...before, ...values },
    operation: 'update',
    risk: 'low',
    id: remote.id,
    remoteFingerprint: fp,
    manualOperation: 'reconfirm',
    reconfirm: attributes,
  });
}

/** Every attestation in state, with when it expires (sorted by address, then attribute). */
export function attestationEntries(req: {
  state: StateDocument;
  stateAddresses: readonly string[];
  maxAgeDays: (provider: string) => number;
  now: Date;
}): Plan['attestations'] {
  const out: Plan['attestations'] = [];
  for (const address of req.stateAddresses) {
    const r = req.state.resources[address]!;
    const attestations = r.attestations;
    if (!attestations) continue;
    const days = req.maxAgeDays(r.provider);
    for (const attribute of Object.keys(attestations).sort()) {
      const a = attestations[attribute]!;
      const expires = new Date(Date.parse(a.at) + days * DAY_MS);
      out.push({
        address,
        attribute,
        by: a.by,
        at: a.at,
        via: a.via,
        expiresAt: expires.toISOString(),
        expired: expires.getTime() < req.now.getTime(),
      });
    }
  }
  return out;
}
