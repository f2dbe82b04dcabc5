import type { ApplyOutcome } from '../apply/apply-project.js';
import { planHash } from '../apply/audit.js';
import type { ExecuteResult } from '../apply/execute.js';
import type { PlannedChange } from '../plan/types.js';

/** What came of one change of an applied plan. */
export interface ApplyChangeOutcome {
  address: string;
  provider: string;
  kind: string;
  action: PlannedChange['action'];
  execution: PlannedChange['execution'];
  /** `not-run`: the plan was not applied (cancelled, refused) or the change never came up. */
  outcome: 'done' | 'failed' | 'skipped' | 'pending' | 'not-run';
  /** The system's id after the change (or before it, for a removal), when known. */
  id?: string;
  /** Why it failed, was skipped or is pending. */
  message?: string;
}

/**
 * The document `roster apply --format json` prints (schemas/apply.schema.json): how the run ended
 * and what it means, what came of each change, the manual steps left to do.
 */
export interface ApplyDocument {
  formatVersion: 1;
  outcome: ApplyDocumentOutcome;
  exitCode: number;
  /** What the exit code means, in one sentence. */
  meaning: string;
  mode?: 'normal' | 'refresh-only';
  planHash?: string;
  counts: { done: number; failed: number; skipped: number; pending: number };
  changes: ApplyChangeOutcome[];
  /** Manual steps a person still has to do (the runbook's), in plan order. */
  manualSteps: Array<{ address: string; operation: string; title: string; reason: string }>;
  /** Changes that wait for those steps. */
  waiting: Array<{ address: string; reason: string }>;
  /** Path of `.roster/runbook.md` when manual steps are pending. */
  runbook?: string;
  /** Why state could not be written (the journal holds what was done). */
  stateError?: string;
}

export type ApplyDocumentOutcome =
  | 'complete'
  | 'nothing-to-do'
  | 'pending'
  | 'failed'
  | 'interrupted'
  | 'terminated'
  | 'invalid'
  | 'refused'
  | 'cancelled';

const MEANINGS: Record<ApplyDocumentOutcome, string> = {
  complete: 'every change was applied',
  'nothing-to-do': 'the systems and state already match the manifests',
  pending: 'every API change was applied; manual steps are pending (see manualSteps and the runbook)',
  failed: 'an operation failed, or state could not be written; state records everything that was done',
  interrupted: 'stopped by SIGINT: operations in flight finished and state is saved; apply again to finish',
  terminated: 'stopped by SIGTERM: operations in flight finished and state is saved; apply again to finish',
  invalid: 'the manifests or the plan have errors (on stderr); nothing was applied',
  refused: 'policy findings of severity error (on stderr); nothing was applied',
  cancelled: 'the plan was not confirmed; nothing was applied',
};

/** The JSON document of an apply's outcome. */
export function applyDocument(outcome: ApplyOutcome): ApplyDocument {
  const kind = documentOutcome(outcome);
  const { plan, result } = outcome;
  const pendingSteps = (result?.pending ?? []).filter((p) => p.change.manual);
  return {
    formatVersion: 1,
    outcome: kind,
    exitCode: outcome.exitCode,
    meaning: MEANINGS[kind],
    ...(plan ? { mode: plan.mode, planHash: planHash(plan) } : {}),
    counts: {
      done: result?.applied.length ?? 0,
      failed: result?.failed.length ?? 0,
      skipped: result?.skipped.length ?? 0,
      pending: result?.pending.length ?? 0,
    },
    changes: (plan?.changes ?? []).map((c) => changeOutcome(c, result)),
    manualSteps: pendingSteps.map((p) => ({
      address: p.change.address,
      operation: p.change.manual!.operation,
      title: p.change.manual!.runbook.title,
      reason: p.reason,
    })),
    waiting: (result?.pending ?? [])
      .filter((p) => !p.change.manual)
      .map((p) => ({ address: p.change.address, reason: p.reason })),
    ...(outcome.runbook && pendingSteps.length > 0 ? { runbook: outcome.runbook } : {}),
    ...(result?.stateError !== undefined ? { stateError: result.stateError } : {}),
  };
}

function documentOutcome(outcome: ApplyOutcome): ApplyDocumentOutcome {
  if (outcome.stage === 'nothing') return 'nothing-to-do';
  if (outcome.stage !== 'applied') return outcome.stage;
  const r = outcome.result!;
  if (r.stateError !== undefined) return 'failed';
  if (r.interrupted) return outcome.exitCode === 143 ? 'terminated' : 'interrupted';
  if (r.failed.length > 0) return 'failed';
  return r.pending.length > 0 ? 'pending' : 'complete';
}

function changeOutcome(change: PlannedChange, result: ExecuteResult | undefined): ApplyChangeOutcome {
  const base = {
    address: change.address,
    provider: change.provider,
    kind: change.kind,
    action: change.action,
    execution: change.execution,
  };
  const id = result?.state.resources[change.address]?.id ?? change.id;
  const withId = id !== undefined ? { id } : {};
  if (result?.applied.some((c) => c.index === change.index)) return { ...base, outcome: 'done', ...withId };
  const failed = result?.failed.find((f) => f.change.index === change.index);
  if (failed) return { ...base, outcome: 'failed', ...withId, message: failed.message };
  const skipped = result?.skipped.find((s) => s.change.index === change.index);
  if (skipped) return { ...base, outcome: 'skipped', ...withId, message: skipped.reason };
  const pending = result?.pending.find((p) => p.change.index === change.index);
  if (pending) return { ...base, outcome: 'pending', ...withId, message: pending.reason };
  return { ...base, outcome: 'not-run', ...withId };
}
