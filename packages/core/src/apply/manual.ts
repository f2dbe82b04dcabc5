import type { KindSession } from '../kind-operations.js';
import { canonical, sameValue } from '../plan/canonical.js';
import type { PlannedChange } from '../plan/types.js';
import type { KindDefinition, OperateRequest, RemoteObject, RunbookStep } from '../provider.js';
import type { Secret } from '../secret.js';

/** One manual step handed to an operator. */
export interface ManualStepRequest {
  change: PlannedChange;
  step: RunbookStep;
  /** 1-based position among the plan's manual steps. */
  number: number;
  /**
   * What reading the system back found wrong after the last attempt; the step is offered again
   * (an operator that cannot retry leaves it pending).
   */
  problems?: string[];
  /** Where each secret the step shows once is to be stored (credential name → `env:…`/`file:…`). */
  secretTargets: Record<string, string>;
  /** The system, for operators that act through it (the sandbox operator). */
  connection: KindSession;
  /** The step as a request to a simulator's console, references resolved to ids. */
  operate: OperateRequest;
}

/** What came of a manual step. */
export type ManualStepOutcome =
  | {
      status: 'done';
      /** Values the system showed once, by credential name (the sandbox operator gets them). */
      secrets?: Record<string, Secret>;
      /** The object as the step left it, when the operator knows it. */
      object?: RemoteObject;
    }
  | { status: 'pending'; reason: string };

/**
 * Carries out manual steps: a person at a terminal, the sandbox operator, or a list of steps the
 * person confirmed with `--confirm`. Without an operator every manual step stays pending.
 */
export interface ManualOperator {
  perform(req: ManualStepRequest): Promise<ManualStepOutcome>;
  /** Whether a step whose verification failed may be offered again (a person can fix it). */
  readonly canRetry: boolean;
  /** Release what the operator holds (a terminal reader) once the run is over. */
  close?(): void;
}

/** Thrown by the executor for a step that was not done (yet): not a failure, but not applied. */
export class PendingStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PendingStepError';
  }
}

/**
 * Compare an object read back after a manual step with what the step asked for: every attribute
 * the system reports (verifiable), in `keys`. Pure. Returns one sentence per mismatch.
 */
export function verifyAttributes(
  def: KindDefinition,
  expected: Record<string, unknown>,
  object: RemoteObject,
  keys: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const key of keys) {
    const rule = def.attributes[key];
    if (rule?.verifiable === false || rule?.sensitive || rule?.writeOnly || rule?.local) continue;
    if (!(key in expected)) continue;
    const want = expected[key];
    const got = object.attributes[key];
    if (!sameValue(canonical(want, rule), canonical(got, rule))) {
      problems.push(`${key} is ${show(got)} in the system; the step says ${show(want)}`);
    }
  }
  return problems;
}

function show(value: unknown): string {
  if (value === undefined) return '(unset)';
  return JSON.stringify(value);
}
