import type { ExecuteEvent, ExecuteResult } from '../apply/execute.js';

/** What the summary of an apply refers to besides the result: the runbook and the journal. */
export interface ApplySummaryContext {
  /** Path of `.roster/runbook.md`. */
  runbook: string;
  /** Where the write-ahead journal is (a path, or the team backend's table). */
  journalLocation: string;
}

/** Counts of what an apply did, as the summary says them (`2 created, 0 updated, …`). */
export function appliedCounts(result: Pick<ExecuteResult, 'applied'>): string[] {
  const count = (action: string) => result.applied.filter((c) => c.action === action).length;
  const parts = [
    `${count('create')} created`,
    `${count('update')} updated`,
    `${count('replace')} replaced`,
    `${count('deactivate')} deactivated`,
    `${count('delete')} deleted`,
  ];
  if (count('import')) parts.push(`${count('import')} imported`);
  if (count('rotate')) parts.push(`${count('rotate')} rotated`);
  return parts;
}

/** The lines (stdout) that end an apply: how it ended, what failed, what is left to do. */
export function renderApplySummary(result: ExecuteResult, ctx: ApplySummaryContext): string[] {
  const parts = appliedCounts(result).join(', ');
  const failures = result.failed.map((f) => `  ${f.change.address}: ${f.message}`);
  const steps = result.pending.filter((p) => p.change.manual).length;
  const pendingLine = `${steps} manual step(s) pending${result.pending.length > steps ? `, ${result.pending.length - steps} change(s) waiting for them` : ''}; the runbook is in ${ctx.runbook}. Do the steps, then run roster apply again (on a terminal, or with --confirm ADDR).`;
  if (result.stateError !== undefined) {
    return [
      `Apply failed: state could not be written (${result.stateError}); ${parts}, ${result.skipped.length} not started. The journal (${ctx.journalLocation}) holds every change that was made: the next roster plan or apply records them in state. Fix the cause first.`,
      ...failures,
    ];
  }
  if (result.interrupted) {
    return [
      `Interrupted: ${parts}; ${result.failed.length} failed, ${result.skipped.length} not started. State is saved; run roster apply again to finish.`,
      ...failures,
    ];
  }
  if (result.failed.length > 0) {
    return [
      `Apply failed: ${result.failed.length} operation(s) failed, ${result.skipped.length} skipped; ${parts}.`,
      ...failures,
      ...(result.pending.length > 0 ? [pendingLine] : []),
      'State records everything that was done. Fix the cause and run roster apply again.',
    ];
  }
  if (result.pending.length > 0) {
    return [
      `Apply incomplete: ${parts}.`,
      pendingLine,
      ...result.pending.map((p) => `  ${p.change.address}: ${p.reason}`),
    ];
  }
  return [`Apply complete! ${parts}.`];
}

/** One line (stderr) per operation event of an apply. */
export function renderExecuteEvent(e: ExecuteEvent): string {
  switch (e.type) {
    case 'start':
      return `${e.change.address}: ${e.change.action}…`;
    case 'done':
      return `${e.change.address}: ${e.change.action} done (${e.ms} ms)`;
    case 'failed':
      return `${e.change.address}: ${e.change.action} FAILED: ${e.message}`;
    case 'skipped':
      return `${e.change.address}: ${e.change.action} skipped (${e.reason})`;
    case 'pending':
      return `${e.change.address}: ${e.change.action} pending (${e.reason})`;
    case 'notice':
      return `${e.change.address}: ${e.message}`;
  }
}
