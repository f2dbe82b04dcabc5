import type { Diagnostic } from '../diagnostics.js';
import { nearest } from '../manifest/suggest.js';
import { plural } from '../render/plural.js';
import type { StateDocument } from '../state/types.js';

/**
 * Whether a state was ever stored. A backend reads a missing state as an empty document of serial 0,
 * and every write stores serial 1 or more, so serial 0 means "no state here" — while a stored state
 * that holds no resources (everything was removed, or `roster workspace new`) is a real state.
 */
export function stateStored(state: StateDocument): boolean {
  return state.serial > 0;
}

export interface MissingStateCheck {
  /** `plan` or `drift`: what would otherwise report on a guess. */
  command: string;
  state: StateDocument;
  /** How many resources the manifests declare. */
  declared: number;
  /** Where state was looked for (`.roster/state.json`, `postgres://… (workspace prod)`). */
  location: string;
  /** `--allow-empty-state`: this is a first run, and no state is what the user expects. */
  allowEmptyState: boolean;
}

/**
 * The error (`state.missing`) of planning or reporting drift against no state while the manifests
 * declare resources: a removed `.roster/state.json`, a mistyped `--state-dir` or workspace would
 * otherwise read as "nothing managed yet", and drift would say "No drift" every night. One line,
 * saying how to start. None when state exists (empty or not), nothing is declared, or
 * `--allow-empty-state` was given.
 */
export function missingStateDiagnostic(check: MissingStateCheck): Diagnostic | undefined {
  if (check.allowEmptyState || check.declared === 0 || stateStored(check.state)) return undefined;
  const what =
    check.command === 'drift'
      ? 'it would report no drift'
      : check.command === 'sod'
        ? 'it would find no conflict'
        : 'it would plan every resource as new';
  return {
    severity: 'error',
    code: 'state.missing',
    message: `no state at ${check.location}, but the manifests declare ${plural(check.declared, 'resource')}: roster ${check.command} refuses to guess (${what}). Check --state-dir, --backend and --workspace/ROSTER_WORKSPACE; on a first run, run roster apply, adopt existing objects with roster import ADDR ID, or pass --allow-empty-state`,
  };
}

/**
 * The errors (`plan.unknown-address`) of `--target`/`--replace` addresses that are in neither the
 * manifests nor state, each naming the nearest existing addresses: an unknown target would
 * otherwise plan nothing and say "No changes".
 */
export function unknownAddressDiagnostics(req: {
  options: { flag: string; addresses: readonly string[] }[];
  declared: Iterable<string>;
  state: StateDocument;
}): Diagnostic[] {
  const known = new Set<string>(req.declared);
  for (const address of Object.keys(req.state.resources)) known.add(address);
  const problems: Diagnostic[] = [];
  for (const { flag, addresses } of req.options) {
    for (const address of addresses) {
      if (known.has(address)) continue;
      // Addresses share long prefixes: a typo is judged against the length of the name part.
      const name = address.slice(address.lastIndexOf('/') + 1);
      const near = nearest(address, known, 3, Math.max(2, Math.floor(name.length / 3)));
      problems.push({
        severity: 'error',
        code: 'plan.unknown-address',
        message: `${flag} ${address}: no such resource in the manifests or state${
          near.length > 0
            ? `; did you mean ${near.join(', ')}?`
            : known.size === 0
              ? ' (they hold none)'
              : ' (roster state list names the addresses in state)'
        }`,
      });
    }
  }
  return problems;
}
