import type { Diagnostic } from '../diagnostics.js';
import { type DriftGroup, groupDrift } from '../fleet/drift-groups.js';
import type { FleetRun } from '../fleet/run-fleet.js';
import type { FleetCommand, TenantResult } from '../fleet/tenant-result.js';
import type { QueuedJobRow } from './fleet-queue-text.js';

/** Totals of a fleet run, over the tenants that ran. */
export interface FleetTotals {
  tenants: number;
  changes: number;
  manualSteps: number;
  blockingFindings: number;
  /** Tenants with drift. */
  drifted: number;
  deviations: number;
  expiredDeviations: number;
  /** Tenants whose run failed (exit 1), including invalid and refused ones. */
  failed: number;
  notRun: number;
}

/** `roster fleet … --format json` (schemas/fleet.schema.json). */
export interface FleetDocument {
  formatVersion: 1;
  command: FleetCommand | 'status';
  fleet: string;
  runId?: string;
  resumed?: boolean;
  totals: FleetTotals;
  tenants: TenantResult[];
  notRun: FleetRun['notRun'];
  canary: string[];
  driftGroups: DriftGroup[];
  diagnostics: Diagnostic[];
  /** `status --run ID`: the jobs of the queued run, done or not. */
  jobs?: QueuedJobRow[];
}

/** Totals over a run's results. */
export function fleetTotals(run: Pick<FleetRun, 'results' | 'notRun'>): FleetTotals {
  const sum = (f: (r: TenantResult) => number) => run.results.reduce((n, r) => n + f(r), 0);
  return {
    tenants: run.results.length,
    changes: sum((r) => r.changes),
    manualSteps: sum((r) => r.manualSteps),
    blockingFindings: sum((r) => r.blockingFindings),
    drifted: run.results.filter((r) => r.drifted > 0).length,
    deviations: sum((r) => r.deviations.length),
    expiredDeviations: sum((r) => r.deviations.filter((d) => d.expired).length),
    failed: run.results.filter((r) => r.exitCode === 1).length,
    notRun: run.notRun.filter((n) => n.reason !== 'already-applied').length,
  };
}

/** The JSON document of a fleet run (or of `status`: the recorded results). */
export function fleetDocument(run: FleetRun, command: FleetCommand | 'status' = run.command): FleetDocument {
  return {
    formatVersion: 1,
    command,
    fleet: run.fleet,
    ...(run.runId !== undefined ? { runId: run.runId } : {}),
    ...(run.resumed !== undefined ? { resumed: run.resumed } : {}),
    totals: fleetTotals(run),
    tenants: run.results,
    notRun: run.notRun,
    canary: run.canary,
    driftGroups: groupDrift(run.results),
    diagnostics: run.diagnostics,
  };
}
