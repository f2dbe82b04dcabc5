import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UserError } from '../diagnostics.js';
import type { Logger } from '../logger.js';
import type { Plan } from '../plan/types.js';
import { renderRunbookMarkdown } from '../render/runbook.js';
import { ensureStateDir } from '../state/local-backend.js';
import type { StateBackend, StateDocument } from '../state/types.js';
import { AuditLog, type AuditRunOutcome, planHash } from './audit.js';
import { type ExecuteInput, type ExecuteResult, executePlan } from './execute.js';
import { JournalWriter, journalPath } from './journal.js';
import type { ManualOperator } from './manual.js';
import type { CrashPhase } from './operation-journal.js';
import { ConfirmedStepsOperator, SandboxOperator } from './operators.js';
import { reconcileJournal } from './reconcile.js';
import { STORED_SECRETS_FILE, secretStore } from './store-secret.js';

/** Where an apply keeps its state, journal, audit log and runbook, and who runs it. */
export interface ApplyEnvironment {
  backend: StateBackend;
  /** The project's `.roster` directory (or `--state-dir`). */
  stateDir: string;
  /** The project directory: secrets shown once may be stored inside it. */
  projectDir: string;
  /** `--secret-dir`: directories outside the project where secrets shown once may be stored. */
  secretDirs: readonly string[];
  log: Logger;
  /** Who runs roster (`$ROSTER_ACTOR` or the OS user), as attestations and the audit log record it. */
  actor: string;
}

/** One apply run: its id (shared by journal and audit log) and audit log. */
export interface ApplyRun {
  id: string;
  audit: AuditLog;
}

export function newRun(env: ApplyEnvironment): ApplyRun {
  const id = randomUUID();
  return {
    id,
    audit: new AuditLog({
      stateDir: env.stateDir,
      runId: id,
      actor: env.actor,
      backend: env.backend,
      log: env.log,
    }),
  };
}

/**
 * Where the write-ahead journal of this run's state is, for messages: the team backend's copy
 * (`roster_journal`) when the backend keeps one, else `.roster/journal`.
 */
export function journalLocation(env: Pick<ApplyEnvironment, 'backend' | 'stateDir'>): string {
  return env.backend.journal ? `roster_journal of ${env.backend.location}` : journalPath(env.stateDir);
}

/**
 * Settle what a run that died left in `.roster/journal` (under the state lock, before planning),
 * and say (`message`, stderr) what was adopted, forgotten or left to the plan.
 */
export async function reconciled(
  env: ApplyEnvironment,
  run: ApplyRun,
  message: (line: string) => void,
  input: Pick<Parameters<typeof reconcileJournal>[0], 'state' | 'connections' | 'kindOf' | 'desired'>,
): Promise<StateDocument> {
  // The audit log of the reconciliation is written to .roster/ (0700) even on a fresh checkout
  // whose journal is the team backend's.
  await ensureStateDir(env.stateDir);
  const result = await reconcileJournal({
    ...input,
    journalFile: journalPath(env.stateDir),
    backend: env.backend,
    log: env.log,
    audit: run.audit,
    actor: env.actor,
  });
  if (result.lines.length > 0) {
    message(`An earlier apply stopped before it finished; reconciled its journal (${journalLocation(env)}):`);
    for (const line of result.lines) message(`  ${line}`);
  }
  if (result.ignoredLocal > 0)
    env.log.warn(
      `${journalPath(env.stateDir)} holds ${result.ignoredLocal} unfinished operation(s) of an apply on the local backend; this run uses ${env.backend.location}, whose journal does not have them: reconcile them with roster apply --backend local first if that state is still in use`,
    );
  for (const e of result.unresolved.filter((x) => x.phase === 'intent'))
    env.log.warn(
      `${e.address}: an interrupted ${e.operation} could not be reconciled (provider ${e.provider} is not configured in this run); it stays in the journal`,
    );
  return result.state;
}

/** Who may do manual steps on a run: the options that choose one. */
export interface ManualChoice {
  /** `--sandbox-operator`: the simulators perform manual steps (sandboxes only). */
  sandboxOperator?: boolean;
  /** `--confirm ADDR`: steps the person says they did. */
  confirm?: readonly string[];
  /** A person at a terminal, when there is one (stdin and stderr are TTYs). */
  terminalOperator?: ((confirmed: ReadonlySet<string>) => ManualOperator) | undefined;
}

/** Who does manual steps on this run, and how secrets shown once are stored. */
export function manualSetup(plan: Plan, choice: ManualChoice, env: ApplyEnvironment) {
  const confirmed = new Set(choice.confirm ?? []);
  let operator: ManualOperator | undefined;
  if (choice.sandboxOperator) {
    const sandboxes = new Set(plan.providers.filter((p) => p.sandbox).map((p) => p.name));
    const real = [
      ...new Set(
        plan.changes
          .filter((c) => c.execution === 'manual' && !sandboxes.has(c.provider))
          .map((c) => c.provider),
      ),
    ];
    if (real.length > 0)
      throw new UserError(
        `--sandbox-operator performs manual steps only in sandboxes, and ${real.join(', ')} ${real.length === 1 ? 'is not one' : 'are not'}: do those steps by hand (run apply on a terminal, or follow .roster/runbook.md)`,
      );
    operator = new SandboxOperator();
  } else if (choice.terminalOperator) {
    operator = choice.terminalOperator(confirmed);
  } else if (confirmed.size > 0) {
    operator = new ConfirmedStepsOperator(confirmed);
  }
  const known = new Set(plan.changes.filter((c) => c.execution === 'manual').map((c) => c.address));
  const unknown = [...confirmed].filter((a) => !known.has(a));
  if (unknown.length > 0)
    throw new UserError(
      `--confirm ${unknown[0]}: the plan has no manual step for it${known.size > 0 ? ` (manual steps: ${[...known].join(', ')})` : ''}`,
    );
  return {
    ...(operator ? { operator } : {}),
    actor: env.actor,
    storeSecret: secretStoreFor(env).storeSecret,
  };
}

/**
 * Where this run may store secrets shown once: inside the project directory, or a `--secret-dir`,
 * never over a file roster did not write (`.roster/stored-secrets.json` records those it did).
 */
export function secretStoreFor(env: ApplyEnvironment) {
  return secretStore({
    projectDir: env.projectDir,
    allowedDirs: [...env.secretDirs],
    registryFile: path.join(env.stateDir, STORED_SECRETS_FILE),
  });
}

/** What a journaled execution takes besides the plan's own inputs. */
export interface JournaledOptions extends ManualChoice {
  concurrency: number;
  onEvent?: ExecuteInput['onEvent'];
  crashPoint?: ((phase: CrashPhase) => void) | undefined;
}

/**
 * Run the executor with the write-ahead journal and the audit log: the run's start (who, which
 * plan), every operation's outcome, and how it ended. `inputs` is what differs between applying
 * the manifests' plan and a saved one.
 */
export async function executeJournaled(
  env: ApplyEnvironment,
  run: ApplyRun,
  opts: JournaledOptions,
  source: string,
  inputs: Pick<
    ExecuteInput,
    'plan' | 'remote' | 'connections' | 'kindOf' | 'state' | 'sensitiveValue' | 'signal'
  >,
): Promise<ExecuteResult> {
  const { plan } = inputs;
  const hash = planHash(plan);
  await ensureStateDir(env.stateDir);
  await run.audit.append({ type: 'apply-start', planHash: hash, source, changes: plan.changes.length });
  // With a team backend the journal is its copy only (the one any machine's next run reads).
  const journal = await JournalWriter.open(
    env.backend.journal ? undefined : journalPath(env.stateDir),
    run.id,
    env.backend.journal,
  );
  const manual = manualSetup(plan, opts, env);
  let result: ExecuteResult;
  try {
    result = await executePlan({
      ...inputs,
      backend: env.backend,
      concurrency: opts.concurrency,
      log: env.log,
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
      ...manual,
      journal,
      audit: run.audit,
      ...(opts.crashPoint ? { crashPoint: opts.crashPoint } : {}),
    });
  } finally {
    await manual.operator?.close?.();
    await journal.close();
  }
  await run.audit.append({
    type: 'apply-finish',
    planHash: hash,
    outcome: runOutcome(result),
    counts: {
      done: result.applied.length,
      failed: result.failed.length,
      pending: result.pending.length,
      skipped: result.skipped.length,
    },
  });
  return result;
}

/** How a run ended, as the audit log's last line says it. */
export function runOutcome(result: ExecuteResult): AuditRunOutcome {
  if (result.interrupted) return 'interrupted';
  if (result.failed.length > 0 || result.stateError !== undefined) return 'failed';
  return result.pending.length > 0 ? 'pending' : 'complete';
}

/**
 * Write `.roster/runbook.md` with the manual steps still to do, or remove it when there are none.
 * Returns its path.
 */
export async function writeRunbook(stateDir: string, result: ExecuteResult, now: Date): Promise<string> {
  const runbook = path.join(stateDir, 'runbook.md');
  if (result.pending.length === 0) await rm(runbook, { force: true });
  else {
    await ensureStateDir(stateDir);
    await writeFileAtomic(
      runbook,
      renderRunbookMarkdown(result.pending, { generatedAt: now.toISOString(), command: 'roster apply' }),
      { mode: 0o600 },
    );
  }
  return runbook;
}
