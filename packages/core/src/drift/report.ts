import type { Diagnostic } from '../diagnostics.js';
import type { AttestationEntry, DriftEntry, Plan, PlanStats } from '../plan/types.js';
import type { DriftClass, DriftClasses } from './classes.js';
import { baselineAccepts, type DriftBaseline } from './ignore-file.js';
import type { UnmanagedObject } from './unmanaged.js';

/**
 * What `roster drift` reports (`--format json` prints it without `attestations`): the drift of
 * the enabled classes that the baseline does not accept, and how much the baseline accepted.
 */
export interface DriftReport {
  formatVersion: number;
  lineage: string;
  serial: number;
  createdAt: string;
  /** The classes this run looked for. */
  classes: DriftClasses;
  /** `changed` and `deleted` entries still reported (a changed entry keeps only unaccepted attributes). */
  drift: DriftEntry[];
  /** Objects in the systems that are neither in state nor in any manifest. */
  unmanaged: UnmanagedObject[];
  /**
   * Accepted by the baseline: changed *attributes*, deleted resources, unmanaged objects. Counted
   * so that a baseline never hides drift silently.
   */
  ignored: Record<DriftClass, number>;
  /** The baseline file that was read, when there was one. */
  ignoreFile?: string;
  attestations: AttestationEntry[];
  diagnostics: Diagnostic[];
  stats: PlanStats;
}

/** Filter a refresh-only plan's drift and the unmanaged objects by class and baseline. Pure. */
export function buildDriftReport(input: {
  plan: Plan;
  unmanaged: readonly UnmanagedObject[];
  classes: DriftClasses;
  baseline?: DriftBaseline;
}): DriftReport {
  const { plan, classes, baseline } = input;
  const ignored: Record<DriftClass, number> = { changed: 0, deleted: 0, unmanaged: 0 };
  const drift: DriftEntry[] = [];
  for (const entry of plan.drift) {
    if (!classes[entry.status]) continue;
    if (entry.status === 'deleted') {
      if (baselineAccepts(baseline, 'deleted', entry.address)) ignored.deleted++;
      else drift.push(entry);
      continue;
    }
    const attributes = entry.attributes.filter((a) => {
      const accepted = baselineAccepts(baseline, 'changed', entry.address, a.path.slice(1));
      if (accepted) ignored.changed++;
      return !accepted;
    });
    if (attributes.length > 0) drift.push({ ...entry, attributes });
  }
  const unmanaged: UnmanagedObject[] = [];
  if (classes.unmanaged) {
    for (const o of input.unmanaged) {
      if (baselineAccepts(baseline, 'unmanaged', o.address)) ignored.unmanaged++;
      else unmanaged.push(o);
    }
  }
  return {
    formatVersion: plan.formatVersion,
    lineage: plan.lineage,
    serial: plan.serial,
    createdAt: plan.createdAt,
    classes: { ...classes },
    drift,
    unmanaged,
    ignored,
    ...(baseline ? { ignoreFile: baseline.file } : {}),
    attestations: plan.attestations,
    diagnostics: plan.diagnostics,
    stats: plan.stats,
  };
}

/** Whether the report has anything to act on (`roster drift` exits 2). */
export function driftFound(report: DriftReport): boolean {
  return report.drift.length > 0 || report.unmanaged.length > 0;
}
