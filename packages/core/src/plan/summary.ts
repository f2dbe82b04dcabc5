import type { PlannedChange, PlanSummary } from './types.js';

/** Counts per action, and of manual steps, of a plan's changes. */
export function summarizeChanges(
  changes: readonly Pick<PlannedChange, 'action' | 'execution'>[],
): PlanSummary {
  const summary: PlanSummary = {
    create: 0,
    update: 0,
    replace: 0,
    deactivate: 0,
    delete: 0,
    rotate: 0,
    import: 0,
    manual: 0,
  };
  for (const c of changes) {
    if (c.action !== 'no-op') summary[c.action] += 1;
    if (c.execution === 'manual') summary.manual += 1;
  }
  return summary;
}
