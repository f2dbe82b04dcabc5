import type { Diagnostic } from '../diagnostics.js';
import type { Action, PlanSummary } from '../plan/types.js';
import type { Execution } from '../provider.js';
import type { Alignment } from './alignment.js';
import type { DeviationSummary } from './tenant-documents.js';

/** The fleet commands that run per tenant. */
export type FleetCommand = 'validate' | 'plan' | 'apply' | 'drift';

/** One drifted attribute of a tenant (what drift grouping compares across tenants). */
export interface TenantDriftItem {
  address: string;
  kind: string;
  /** `metadata.name` of the resource. */
  name: string;
  /** The baseline document's name as written (`${tenant.…}` unfilled); the name for a tenant's own resource. */
  resource: string;
  status: 'changed' | 'deleted';
  /** The attribute (`/spec` pointer without `/spec`, e.g. `/active`); `''` for a deleted object. */
  attribute: string;
  expected?: unknown;
  actual?: unknown;
}

/** One change of a tenant's plan, as a fleet report lists it. */
export interface TenantChange {
  address: string;
  action: Action;
  /** `manual`: a step a person does in the system's UI. */
  execution: Execution;
}

/**
 * How one tenant's run ended: plain data (JSON-serialisable), what `roster fleet status` records
 * and reads back and what a queue worker returns.
 */
export interface TenantResult {
  tenant: string;
  command: FleetCommand;
  /** The exit code a single-project command would have given for this tenant. */
  exitCode: number;
  /** `invalid`: manifests with errors; `refused`: blocking findings; `error`: a run that failed. */
  outcome:
    | 'ok'
    | 'changes'
    | 'drift'
    | 'pending'
    | 'failed'
    | 'invalid'
    | 'refused'
    | 'interrupted'
    | 'error';
  /** Changes planned (plan, drift) or applied (apply). */
  changes: number;
  /** The plan's changes (apply: the plan it applied), in plan order. */
  planned: TenantChange[];
  summary?: PlanSummary;
  /** Manual steps planned (plan) or still pending (apply). */
  manualSteps: number;
  /** Policy findings of severity error that are not excepted. */
  blockingFindings: number;
  drift: TenantDriftItem[];
  /** Resources that drifted. */
  drifted: number;
  deviations: DeviationSummary[];
  /** Absent for validate (nothing is read). */
  alignment?: Alignment;
  /** Errors and warnings of the run (manifests, plan, findings). */
  diagnostics: Diagnostic[];
  /** For `error`: the one-line reason. */
  error?: string;
  /** The plan's signature (apply): what a resumed fleet apply compares. */
  finishedAt: string;
}
