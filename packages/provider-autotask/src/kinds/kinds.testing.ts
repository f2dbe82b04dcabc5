import type { KindRunbook, RunbookRequest, RunbookStep } from '@roster/core';

/** The kind's runbook step for the request's operation; a kind without one has no manual step for it. */
export function stepOf(runbook: KindRunbook, req: RunbookRequest): RunbookStep {
  const step = runbook[req.operation];
  if (!step) throw new Error(`no ${req.operation} step`);
  return step(req);
}
