import { createHash } from 'node:crypto';
import { stableStringify } from '../plan/canonical.js';
import type { Plan, PlannedChange } from '../plan/types.js';
import type { JournalWriter } from './journal.js';

/**
 * Where a test may make the process die (`ROSTER_TEST_KILL_AFTER_OPS`): after an intent is on disk
 * and before its call; after the call returned and before its outcome is journaled; after the
 * outcome is journaled and before state is written.
 */
export type CrashPhase = 'intent' | 'call' | 'done';

/**
 * The key a system may use to recognise a retried call of one step of one change of one plan (the
 * same on a rerun of the same plan, different for any other).
 */
export function idempotencyKey(
  plan: Pick<Plan, 'lineage' | 'serial'>,
  change: PlannedChange,
  step: string,
): string {
  return createHash('sha256')
    .update(`${plan.lineage}:${plan.serial}:${change.index}:${step}:${stableStringify(change.after)}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * The write-ahead journal as the executor writes it: an intent before a change's first remote
 * call, its outcome (once) after the last, before state records it. Without a journal it does
 * nothing.
 */
export class OperationJournal {
  readonly #plan: Plan;
  readonly #journal: JournalWriter | undefined;
  readonly #crashPoint: ((phase: CrashPhase) => void) | undefined;
  /** The open intents, by change index: the seq of the intent, and whether it has its outcome. */
  readonly #intents = new Map<number, { seq: number; finished: boolean }>();

  constructor(plan: Plan, journal?: JournalWriter, crashPoint?: (phase: CrashPhase) => void) {
    this.#plan = plan;
    this.#journal = journal;
    this.#crashPoint = crashPoint;
  }

  /** Journal that `change` is about to call its system. */
  async intent(change: PlannedChange): Promise<void> {
    // An import changes nothing in the system, and a reconfirmation only asks a person.
    if (!this.#journal || change.action === 'import' || change.action === 'no-op') return;
    const step = change.action === 'replace' ? 'create' : change.action;
    const entry = await this.#journal.append({
      address: change.address,
      provider: change.provider,
      kind: change.kind,
      operation: change.action,
      naturalKey: change.naturalKey,
      ...(['create', 'replace', 'update', 'deactivate'].includes(change.action)
        ? { idempotencyKey: idempotencyKey(this.#plan, change, step) }
        : {}),
      phase: 'intent',
      ...(change.id !== undefined ? { id: change.id } : {}),
    });
    this.#intents.set(change.index, { seq: entry.seq, finished: false });
    this.#crashPoint?.('intent');
  }

  /** Journal the outcome of a change's remote call(s), once, before state records it. */
  async outcome(change: PlannedChange, phase: 'done' | 'failed', id?: string): Promise<void> {
    const open = this.#intents.get(change.index);
    if (!this.#journal || !open || open.finished) return;
    if (phase === 'done') this.#crashPoint?.('call');
    open.finished = true;
    await this.#journal.append({
      address: change.address,
      provider: change.provider,
      kind: change.kind,
      operation: change.action,
      naturalKey: change.naturalKey,
      phase,
      ...(id !== undefined ? { id } : {}),
      intentSeq: open.seq,
    });
    if (phase === 'done') this.#crashPoint?.('done');
  }
}
