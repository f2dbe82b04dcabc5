import type { KindSession } from '../kind-operations.js';
import { apiMethod, kindCapabilities } from '../kind-operations.js';
import type { Logger } from '../logger.js';
import type { DesiredResource } from '../plan/desired.js';
import { remoteFingerprint } from '../plan/remote-fingerprint.js';
import type { PlannedChange } from '../plan/types.js';
import { importChange, recordingPlan } from '../project/import-object.js';
import type { KindDefinition, RemoteObject } from '../provider.js';
import type { StateBackend, StateDocument } from '../state/types.js';
import type { AuditLog, AuditRecord } from './audit.js';
import { executePlan } from './execute.js';
import { type JournalEntry, outcomeOf, readJournal, rewriteJournal } from './journal.js';

export interface ReconcileInput {
  /** `.roster/journal`. */
  journalFile: string;
  /** State as read under the lock. */
  state: StateDocument;
  backend: StateBackend;
  connections: ReadonlyMap<string, KindSession>;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
  /** The manifests' resources: an adopted object they declare is recorded as `import` records it. */
  desired?: readonly DesiredResource[];
  log: Logger;
  audit?: AuditLog;
  actor?: string;
  now?: () => Date;
}

export interface ReconcileResult {
  /** State after reconciliation (the input state when nothing changed). */
  state: StateDocument;
  /** What was reconciled, one sentence per entry, for stderr. */
  lines: string[];
  /** Entries that could not be settled (their provider is not configured): kept in the journal. */
  unresolved: JournalEntry[];
  /**
   * With a team backend: unfinished entries of a local `.roster/journal` (left by a run on the local
   * backend), which this run does not settle — the journal of a team backend is its own copy.
   */
  ignoredLocal: number;
}

/**
 * Settle what a crashed apply left in the journal, before planning (the caller holds the state
 * lock). Each operation that may have reached its system is looked up there — by id when the
 * journal has one, else by natural key, one bulk list per kind:
 * - a create or replace whose object exists but is not in state: adopted into state, as apply
 *   records an import (so the plan updates it, or removes it if the manifests no longer declare
 *   it: an account made by a run that died is never orphaned with live credentials);
 *   not there: left to the plan, which creates it again (never twice: the plan matches by
 *   natural key);
 * - a replace whose new object exists while the old one is still active: the old one is removed,
 *   as the interrupted operation would have;
 * - a deactivate or delete that took effect: the address leaves state, as apply would have done;
 * - an update or rotation: nothing to adopt; the plan compares the system again.
 * The journal is then emptied (or keeps only the unresolved entries).
 */
export async function reconcileJournal(input: ReconcileInput): Promise<ReconcileResult> {
  const { entries, ignoredLocal } = await readRunJournal(input.journalFile, input.backend);
  if (entries.length === 0) return { state: input.state, lines: [], unresolved: [], ignoredLocal };
  const state = input.state;
  const desired = new Map((input.desired ?? []).map((d) => [d.address, d]));
  const lines: string[] = [];
  const audits: AuditRecord[] = [];
  const unresolved: JournalEntry[] = [];
  const lists = new Map<string, Promise<RemoteObject[]>>();
  const listOf = (conn: KindSession, provider: string, kind: string) => {
    const key = `${provider}\u0000${kind}`;
    let l = lists.get(key);
    if (!l) {
      l = apiMethod(conn, 'list', kind)({ kind }).then((r) => r.objects);
      lists.set(key, l);
    }
    return l;
  };

  const adopt: PlannedChange[] = [];
  const forget: string[] = [];
  const found = new Map<string, Map<string, RemoteObject[]>>();
  const removals: Removal[] = [];
  const say: Say = (entry, outcome, text, id) => {
    lines.push(`reconciled ${entry.address}: ${text}`);
    audits.push({
      type: 'reconcile',
      address: entry.address,
      action: entry.operation,
      outcome,
      ...(id !== undefined ? { id } : {}),
      message: text,
    });
  };

  // The latest intent per address and operation (a retried operation supersedes the earlier one).
  const latest = new Map<string, JournalEntry>();
  for (const e of entries) if (e.phase === 'intent') latest.set(`${e.address}\u0000${e.operation}`, e);

  for (const entry of latest.values()) {
    const outcome = outcomeOf(entries, entry);
    const def = input.kindOf(entry.provider, entry.kind);
    const conn = input.connections.get(entry.provider);
    if (!def || !conn) {
      unresolved.push(entry, ...(outcome ? [outcome] : []));
      continue;
    }
    const inState = state.resources[entry.address];
    if (entry.operation === 'create' || entry.operation === 'replace') {
      const madeId = outcome?.phase === 'done' ? outcome.id : undefined;
      if (madeId !== undefined && inState?.id === madeId) continue; // finished and recorded
      // A kind the system cannot read was a manual step: the plan asks for it (or finds it) again.
      if (kindCapabilities(def).read === 'none') continue;
      const objects = await listOf(conn, entry.provider, entry.kind);
      const object =
        (madeId !== undefined ? objects.find((o) => o.id === madeId) : undefined) ??
        objects.find((o) => o.naturalKey === entry.naturalKey && !o.conflict && o.id !== entry.id);
      if (!object) {
        if (outcome?.phase !== 'failed')
          say(entry, 'retry', `${entry.operation} did not reach the system; the plan makes it`);
        continue;
      }
      const heldBy = Object.entries(state.resources).find(
        ([a, r]) =>
          a !== entry.address && r.provider === entry.provider && r.kind === entry.kind && r.id === object.id,
      );
      if (inState?.id !== object.id && !heldBy) {
        adopt.push(adoption(entry, object, def, desired.get(entry.address)));
        // A replaced address's old entry goes, so the adopted account counts as newly issued.
        if (inState) forget.push(entry.address);
        byKind(found, entry.provider, entry.kind).push(object);
        say(
          entry,
          'adopted',
          `the ${entry.operation} reached the system before the run stopped: ${entry.kind} ${object.naturalKey} (id ${object.id}) adopted into state`,
          object.id,
        );
      }
      if (entry.operation === 'replace' && entry.id !== undefined && entry.id !== object.id) {
        const old = objects.find((o) => o.id === entry.id);
        if (old && !old.deactivated) removals.push({ entry, def, conn, old });
      }
      continue;
    }
    if (entry.operation === 'deactivate' || entry.operation === 'delete') {
      if (outcome?.phase === 'failed' || entry.id === undefined || inState?.id !== entry.id) continue;
      const { object } =
        kindCapabilities(def).read === 'none'
          ? { object: undefined }
          : await apiMethod(conn, 'read', entry.kind)({ kind: entry.kind, id: entry.id });
      const gone =
        kindCapabilities(def).read !== 'none' &&
        (!object || (entry.operation === 'deactivate' && object.deactivated === true));
      if (gone) {
        forget.push(entry.address);
        say(
          entry,
          'forgotten',
          `the ${entry.operation} took effect before the run stopped: ${entry.address} leaves state`,
          entry.id,
        );
      } else if (!outcome) {
        say(entry, 'retry', `the ${entry.operation} did not take effect; the plan does it again`, entry.id);
      }
      continue;
    }
    if (!outcome) {
      const note =
        entry.operation === 'rotate'
          ? ' (a secret issued by an interrupted rotation was not stored: the plan rotates again if due)'
          : '';
      say(
        entry,
        'retry',
        `the ${entry.operation} may not have finished; the plan compares the system again${note}`,
        entry.id,
      );
    }
  }

  let result = state;
  if (adopt.length > 0 || forget.length > 0) {
    const executed = await executePlan({
      plan: recordingPlan(adopt, state.lineage, state.serial, input.now?.() ?? new Date(), [
        ...new Set(forget),
      ]),
      remote: found,
      connections: input.connections,
      kindOf: input.kindOf,
      backend: input.backend,
      state,
      sensitiveValue: (address, key) => desired.get(address)?.spec[key],
      concurrency: 1,
      log: input.log,
      ...(input.actor ? { actor: input.actor } : {}),
      ...(input.now ? { now: input.now } : {}),
    });
    const failed = executed.failed[0];
    if (failed) throw new Error(`reconciling the journal: ${failed.change.address}: ${failed.message}`);
    result = executed.state;
  }
  await removeReplaced(removals, result, say);
  if (audits.length > 0) await input.audit?.append(...audits);
  // The journal the entries came from, and only it: with a team backend no local file is written
  // (on a fresh checkout there is no .roster/ to write it in, and nothing would ever read it).
  if (input.backend.journal) await input.backend.journal.replace(unresolved);
  else await rewriteJournal(input.journalFile, unresolved);
  return { state: result, lines, unresolved, ignoredLocal };
}

/** The old object of an interrupted replace, found still there while its new object exists. */
interface Removal {
  entry: JournalEntry;
  def: KindDefinition;
  conn: KindSession;
  old: RemoteObject;
}

/** Report one settled journal entry: a line for the run's output and a record for the audit log. */
type Say = (
  entry: JournalEntry,
  outcome: 'adopted' | 'forgotten' | 'removed' | 'retry',
  text: string,
  id?: string,
) => void;

/** Remove (or deactivate, per the address's removal mode) what interrupted replaces left behind. */
async function removeReplaced(removals: readonly Removal[], result: StateDocument, say: Say): Promise<void> {
  for (const { entry, def, conn, old } of removals) {
    const mode = result.resources[entry.address]?.lifecycle?.onRemove ?? def.deleteMode;
    if (mode === 'deactivate' && def.deactivation) {
      await apiMethod(
        conn,
        'update',
        entry.kind,
      )({
        kind: entry.kind,
        address: entry.address,
        id: old.id,
        prior: old,
        changes: { [def.deactivation.attribute]: def.deactivation.value },
        idempotencyKey: `${entry.idempotencyKey ?? entry.seq}-reconcile-remove`,
      });
    } else {
      await apiMethod(
        conn,
        'delete',
        entry.kind,
      )({ kind: entry.kind, address: entry.address, id: old.id, prior: old });
    }
    say(
      entry,
      'removed',
      `the replaced ${entry.kind} ${old.naturalKey} (id ${old.id}) was still there: ${mode === 'deactivate' ? 'deactivated' : 'deleted'}, as the replace would have`,
      old.id,
    );
  }
}

/**
 * The journal of a run's state: the team backend's copy (`roster_journal`) when the backend keeps
 * one — every intent is stored there before its call starts, so it alone is complete, whichever
 * machine ran the apply — else the local file. With a team backend, `ignoredLocal` counts unfinished
 * entries of a local file left by a run on the local backend (reported, not settled here).
 */
export async function readRunJournal(
  journalFile: string,
  backend: Pick<StateBackend, 'journal'>,
): Promise<{ entries: JournalEntry[]; ignoredLocal: number }> {
  if (!backend.journal) return { entries: await readJournal(journalFile), ignoredLocal: 0 };
  const entries = await backend.journal.read();
  const local = await readJournal(journalFile);
  const known = new Set(entries.map((e) => `${e.runId}:${e.seq}`));
  const ignoredLocal = unfinishedOf(local).filter((e) => !known.has(`${e.runId}:${e.seq}`)).length;
  return { entries, ignoredLocal };
}

/** Intents without an outcome. */
function unfinishedOf(entries: readonly JournalEntry[]): JournalEntry[] {
  return entries.filter((e) => e.phase === 'intent' && !outcomeOf(entries, e));
}

/** Addresses with operations a crashed apply left without an outcome (for `plan`'s warning). */
export function unfinishedAddresses(entries: readonly JournalEntry[]): string[] {
  return [...new Set(unfinishedOf(entries).map((e) => e.address))];
}

function byKind(
  map: Map<string, Map<string, RemoteObject[]>>,
  provider: string,
  kind: string,
): RemoteObject[] {
  let kinds = map.get(provider);
  if (!kinds) {
    kinds = new Map();
    map.set(provider, kinds);
  }
  let list = kinds.get(kind);
  if (!list) {
    list = [];
    kinds.set(kind, list);
  }
  return list;
}

/**
 * The `import` change recording an object a crashed run made: as `roster import` records it when
 * the manifests declare the address; otherwise bare (id, natural key), so the plan removes it.
 */
function adoption(
  entry: JournalEntry,
  object: RemoteObject,
  def: KindDefinition,
  desired: DesiredResource | undefined,
): PlannedChange {
  if (desired) return importChange({ desired, def }, object);
  const prefix = `${entry.provider}/${entry.kind}/`;
  return {
    index: 0,
    address: entry.address,
    provider: entry.provider,
    kind: entry.kind,
    action: 'import',
    reasons: [{ path: '', rule: 'adopt', message: `adopted from the journal of an interrupted apply` }],
    patch: [],
    before: {},
    after: {},
    execution: 'api',
    risk: 'low',
    id: object.id,
    naturalKey: object.naturalKey,
    remoteFingerprint: remoteFingerprint(object),
    name: entry.address.startsWith(prefix) ? entry.address.slice(prefix.length) : entry.address,
    dependencies: [],
    dependsOn: [],
  };
}
