import type { KindSession } from '../kind-operations.js';
import type { Logger } from '../logger.js';
import type { RemoteSnapshot } from '../plan/remote-snapshot.js';
import type { Plan, PlannedChange } from '../plan/types.js';
import type { KindDefinition } from '../provider.js';
import type { Secret } from '../secret.js';
import type { StateBackend, StateDocument } from '../state/types.js';
import type { AuditLog, AuditOutcome } from './audit.js';
import type { JournalWriter } from './journal.js';
import { type ManualOperator, PendingStepError } from './manual.js';
import { ManualSteps } from './manual-steps.js';
import { type CrashPhase, OperationJournal } from './operation-journal.js';
import { type OperationContext, OperationRunner } from './operation-runner.js';
import { RemoteObjects } from './remote-objects.js';
import { type Outcome, schedule } from './scheduler.js';
import { StateWriter } from './state-writer.js';
import { WireValues } from './wire-values.js';

export type { CrashPhase } from './operation-journal.js';

/** What the executor needs: a plan, live connections, the state under lock. */
export interface ExecuteInput {
  plan: Plan;
  /** Remote objects as refreshed just before apply (priors for updates, ids for references). */
  remote: RemoteSnapshot;
  connections: ReadonlyMap<string, KindSession>;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
  backend: StateBackend;
  state: StateDocument;
  /** Values of sensitive attributes (masked in the plan), read from the manifests at apply time. */
  sensitiveValue?(address: string, attribute: string): unknown;
  /** Concurrent operations per provider. */
  concurrency: number;
  log: Logger;
  /** Aborting stops scheduling new operations; those in flight finish and are recorded. */
  signal?: AbortSignal;
  now?: () => Date;
  /** Called when an operation starts and ends (progress output). */
  onEvent?(event: ExecuteEvent): void;
  /** Carries out manual steps; without one every manual step is left pending. */
  operator?: ManualOperator;
  /** Who confirms manual steps (recorded in attestations): `$ROSTER_ACTOR` or the OS user. */
  actor?: string;
  /**
   * Store a secret the system showed once where the resource's credentials point (`env:`/`file:`).
   * Returns why it could not, or undefined when stored.
   */
  storeSecret?(origin: string, value: Secret): Promise<string | undefined>;
  /**
   * The run's write-ahead journal: an intent before each operation that calls a system, its
   * outcome after. The executor ends it (`finish`) once state holds every outcome.
   */
  journal?: JournalWriter;
  /** The run's audit log: one line per operation and its outcome. */
  audit?: AuditLog;
  /** Test hook only: called at each crash point of each journaled operation. */
  crashPoint?(phase: CrashPhase): void;
}

export type ExecuteEvent =
  | { type: 'start'; change: PlannedChange }
  | { type: 'done'; change: PlannedChange; ms: number }
  | { type: 'failed'; change: PlannedChange; message: string }
  | { type: 'skipped'; change: PlannedChange; reason: string }
  | { type: 'pending'; change: PlannedChange; reason: string }
  | { type: 'notice'; change: PlannedChange; message: string };

export interface ExecuteResult {
  state: StateDocument;
  applied: PlannedChange[];
  failed: Array<{ change: PlannedChange; message: string }>;
  skipped: Array<{ change: PlannedChange; reason: string }>;
  /** Manual steps not done yet (and the changes that wait for them), in plan order. */
  pending: Array<{ change: PlannedChange; reason: string }>;
  interrupted: boolean;
  /**
   * Why the last state write failed, when state could not be written at the end: what was done is
   * in the journal, and the next run reconciles it.
   */
  stateError?: string;
}

/**
 * Carry out a plan: operations in dependency order, bounded concurrency per provider (scheduler.ts);
 * each API operation journaled as intent → call → outcome (operation-runner.ts), manual steps
 * handed to the operator and verified (manual-steps.ts); state written by the state writer
 * (state-writer.ts) in checkpoints, or after every operation when there is no journal, so a
 * failure, interrupt or kill loses nothing already done.
 */
export async function executePlan(input: ExecuteInput): Promise<ExecuteResult> {
  const plan = input.plan;
  // With the journal, every outcome is durable there before state records it, so state is written
  // as checkpoints: a whole-state write per operation made large applies quadratic (10,000 creates
  // wrote 10,000 states of up to 10,000 resources). A run killed between checkpoints loses nothing:
  // the next run reconciles the journal's outcomes into state (reconcile.ts).
  const writer = new StateWriter(input.backend, input.state, { checkpoints: input.journal !== undefined });
  const objects = new RemoteObjects({
    remote: input.remote,
    state: input.state,
    changes: plan.changes,
    kindOf: input.kindOf,
  });
  const kindDef = (change: PlannedChange): KindDefinition => {
    const def = input.kindOf(change.provider, change.kind);
    if (!def) throw new Error(`provider ${change.provider} has no kind ${change.kind}`);
    return def;
  };
  const ctx: OperationContext = {
    plan,
    writer,
    objects,
    values: new WireValues({ kindDef, sensitiveValue: input.sensitiveValue, writer, objects }),
    journal: new OperationJournal(plan, input.journal, input.crashPoint),
    kindDef,
    connection: (change) => {
      const c = input.connections.get(change.provider);
      if (!c) throw new Error(`no connection for provider ${change.provider}`);
      return c;
    },
    now: input.now ?? (() => new Date()),
    actor: input.actor ?? 'unknown',
    storeSecret: input.storeSecret,
    notice: (change, message) => input.onEvent?.({ type: 'notice', change, message }),
  };
  await applyForgetAndAccept(plan, writer);
  const steps = new ExecutionSteps(input, ctx);
  await schedule(plan.changes, input.concurrency, steps);
  await writer.finish();
  if (input.journal) {
    // Every outcome is in state: what the journal holds of this run is no longer needed.
    if (input.journal.settled && writer.error === undefined) await input.journal.finish();
    else await input.journal.close();
  }
  return steps.result(writer);
}

/** What the plan forgets (state rm by plan) and accepts (refresh-only) goes to state first. */
async function applyForgetAndAccept(plan: Plan, writer: StateWriter): Promise<void> {
  if (plan.forget.length === 0 && plan.accept.length === 0) return;
  await writer.commit((doc) => {
    for (const a of plan.forget) delete doc.resources[a];
    for (const a of plan.accept) {
      const r = doc.resources[a.address];
      if (r) {
        r.attributes = a.attributes;
        r.remoteFingerprint = a.remoteFingerprint;
        if (a.lifecycle) {
          if (Object.keys(a.lifecycle).length > 0) r.lifecycle = a.lifecycle;
          else delete r.lifecycle;
        }
      }
    }
  });
}

/**
 * What the scheduler does with each change, and what came of each: events, audit lines and the
 * lists of the result.
 */
class ExecutionSteps {
  readonly #input: ExecuteInput;
  readonly #ctx: OperationContext;
  readonly #runner: OperationRunner;
  readonly #manual: ManualSteps;
  readonly #applied: PlannedChange[] = [];
  readonly #failed: ExecuteResult['failed'] = [];
  readonly #skipped: ExecuteResult['skipped'] = [];
  readonly #pending: ExecuteResult['pending'] = [];

  constructor(input: ExecuteInput, ctx: OperationContext) {
    this.#input = input;
    this.#ctx = ctx;
    this.#runner = new OperationRunner(ctx);
    this.#manual = new ManualSteps(ctx, this.#runner, input.operator);
  }

  async blocked(change: PlannedChange, by: false | 'pending'): Promise<Outcome> {
    if (by === false) return this.#skip(change, 'an operation it depends on did not complete');
    const waitsFor = change.dependsOn
      .map((i) => this.#input.plan.changes[i]!)
      .filter((c) => this.#pending.some((p) => p.change.index === c.index))
      .map((c) => c.address);
    const reason = `waits for ${[...new Set(waitsFor)].join(', ')}`;
    this.#pending.push({ change, reason });
    if (change.execution === 'manual') await this.#manual.markPending(change);
    this.#input.onEvent?.({ type: 'pending', change, reason });
    await this.#audited(change, 'pending', reason);
    return 'pending';
  }

  async run(change: PlannedChange): Promise<Outcome> {
    const input = this.#input;
    const stateError = this.#ctx.writer.checkpointError();
    // Outcomes the journal holds but state does not must not pile up: stop, as for an interrupt.
    if (stateError !== undefined)
      return this.#skip(change, `not started: state could not be written (${stateError})`);
    if (input.signal?.aborted) return this.#skip(change, 'interrupted before it started');
    const started = Date.now();
    input.onEvent?.({ type: 'start', change });
    try {
      await this.#ctx.journal.intent(change);
      await this.#perform(change);
      await this.#ctx.journal.outcome(change, 'done', this.#ctx.objects.live(change.address)?.id);
      this.#applied.push(change);
      input.onEvent?.({ type: 'done', change, ms: Date.now() - started });
      await this.#audited(change, 'done');
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.#ctx.journal.outcome(change, 'failed').catch(() => {});
      if (err instanceof PendingStepError) {
        this.#pending.push({ change, reason: message });
        await this.#manual.markPending(change);
        input.onEvent?.({ type: 'pending', change, reason: message });
        await this.#audited(change, 'pending', message);
        return 'pending';
      }
      this.#failed.push({ change, message });
      input.onEvent?.({ type: 'failed', change, message });
      await this.#audited(change, 'failed', message);
      return false;
    }
  }

  result(writer: StateWriter): ExecuteResult {
    this.#pending.sort((a, b) => a.change.index - b.change.index);
    const stateError = writer.errorMessage;
    return {
      state: writer.state,
      applied: this.#applied,
      failed: this.#failed,
      skipped: this.#skipped,
      pending: this.#pending,
      interrupted: this.#input.signal?.aborted === true,
      ...(stateError !== undefined ? { stateError } : {}),
    };
  }

  #perform(change: PlannedChange): Promise<void> {
    if (change.execution === 'manual' && change.manual) return this.#manual.perform(change);
    return this.#runner.perform(change);
  }

  async #skip(change: PlannedChange, reason: string): Promise<Outcome> {
    this.#skipped.push({ change, reason });
    this.#input.onEvent?.({ type: 'skipped', change, reason });
    await this.#audited(change, 'skipped', reason);
    return false;
  }

  #audited(change: PlannedChange, outcome: AuditOutcome, message?: string): Promise<void> {
    if (!this.#input.audit) return Promise.resolve();
    const id = this.#ctx.objects.live(change.address)?.id ?? change.id;
    return this.#input.audit.append({
      type: 'operation',
      address: change.address,
      action: change.action,
      outcome,
      ...(id !== undefined ? { id } : {}),
      ...(message !== undefined ? { message } : {}),
    });
  }
}
