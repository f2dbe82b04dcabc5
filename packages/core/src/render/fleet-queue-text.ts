import { plural } from './plural.js';

/** A job of a queued fleet run, as `roster fleet status --run` shows it (plain data). */
export interface QueuedJobRow {
  tenant: string;
  /** `queued`, `retry` (waiting for its next attempt), `running`, `completed`, `failed`, `cancelled`. */
  state: string;
  attempts: number;
  /** Why the last attempt failed. */
  error?: string;
}

/**
 * The jobs of a queued run as text: a count per state, then one row per job that is not completed
 * (queued, waiting for a retry, running, failed), failed first.
 */
export function renderQueuedJobs(runId: string, jobs: readonly QueuedJobRow[]): string {
  const counts = new Map<string, number>();
  for (const j of jobs) counts.set(j.state, (counts.get(j.state) ?? 0) + 1);
  const order = ['failed', 'running', 'retry', 'queued', 'cancelled', 'completed'];
  const summary = order
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(', ');
  const lines = [`Run ${runId}: ${plural(jobs.length, 'job')}${summary ? ` (${summary})` : ''}.`];
  const open = jobs
    .filter((j) => j.state !== 'completed')
    .sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state) || a.tenant.localeCompare(b.tenant));
  if (open.length === 0) return lines.join('\n');
  const rows = [
    ['TENANT', 'JOB', 'ATTEMPTS', 'LAST ERROR'],
    ...open.map((j) => [j.tenant, j.state, String(j.attempts), j.error ?? '']),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    lines.push(
      r
        .map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c))
        .join('  ')
        .trimEnd(),
    );
  return lines.join('\n');
}
