import type { KindDefinition } from '../provider.js';
import type { PopulationMember } from './population.js';
import type { LastUsed } from './types.js';

/**
 * When an account was last used: the system's own record (`RemoteObject.lastUsedAt`, from the field
 * its kind names in `lastUsed`), else the last successful `roster test` sign-in (state
 * `lastSignInAt`, which proves the credentials work, not that an integration used them), else
 * unknown, with the reason. Pure.
 */
export function lastUsedOf(member: PopulationMember, def: KindDefinition | undefined): LastUsed {
  const field = def?.lastUsed?.field ?? null;
  const system = member.remote?.lastUsedAt;
  if (system) return { at: system, source: 'system', field };
  const signIn = member.stateEntry?.lastSignInAt;
  if (signIn) return { at: signIn, source: 'roster-test', field: null };
  return { at: null, source: null, field, unknownReason: unknownReason(member, def, field) };
}

function unknownReason(
  member: PopulationMember,
  def: KindDefinition | undefined,
  field: string | null,
): string {
  const test = !def?.api?.test
    ? (def?.untestable ?? 'roster test cannot sign in as it')
    : member.managed
      ? 'no roster test sign-in is recorded'
      : 'roster test signs in only as accounts the manifests declare';
  if (member.seen === 'gone') return 'the system no longer holds it';
  if (field === null) return `the system records no last use; ${test}`;
  if (member.seen === 'state') return `${field} was not read (the system was not listed); ${test}`;
  return `${field} is empty; ${test}`;
}
