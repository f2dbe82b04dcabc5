import {
  DiagnosticsError,
  type FleetDocument,
  type FleetRun,
  fleetDocument,
  hasErrors,
  loadFleet,
  parseTenantSelector,
  plural,
  renderQueuedJobs,
  stderrLogger,
  type TenantResult,
  UserError,
} from '@roster/core';
import { newRunId, openFleetQueue } from '../fleet-queue.js';
import { err, out, printDiagnostics } from '../output.js';
import { type FleetOptions, render } from './fleet.js';

/**
 * `roster fleet drift|plan --queue`: one job per selected tenant on the fleet's queue, for
 * `roster worker`s to run; prints the run id and returns.
 */
export async function enqueueCommand(
  command: 'plan' | 'drift',
  opts: FleetOptions,
  setExit: (code: number) => void,
): Promise<void> {
  const log = stderrLogger({ verbose: opts.verbose === true });
  const fleet = await loadFleet({ dir: opts.file ?? '.', cwd: process.cwd() });
  if (hasErrors(fleet.diagnostics)) throw new DiagnosticsError(fleet.diagnostics);
  printDiagnostics(fleet.diagnostics);
  const select = parseTenantSelector(opts.tenants);
  const tenants = fleet.tenants.filter(select).map((t) => t.name);
  if (tenants.length === 0)
    throw new UserError(`--tenants ${opts.tenants} selects no tenant of ${fleet.tenants.length}`);
  const opened = await openFleetQueue({ fleet, backend: opts.backend, log });
  try {
    const runId = newRunId();
    const n = await opened.queue.enqueue({
      runId,
      command,
      tenants,
      options: {
        ...(opts.allowEmptyState ? { allowEmptyState: true } : {}),
        ...(opts.apiBudget !== undefined ? { apiBudget: opts.apiBudget } : {}),
      },
    });
    if (opts.format === 'json') out(JSON.stringify({ formatVersion: 1, command, runId, jobs: n }, null, 2));
    else out(runId);
    err(
      `Queued ${plural(n, `${command} job`)} on ${opened.location} (run ${runId}): ` +
        `run them with roster worker -f ${opts.file ?? '.'}; follow with roster fleet status --run ${runId}.`,
    );
    setExit(0);
  } finally {
    await opened.close();
  }
}

/**
 * `roster fleet status --run ID`: a queued run's recorded results (the fleet table) and its jobs
 * still queued, waiting for a retry, running or failed. Exit 1 when a job failed for good.
 */
export async function queuedRunStatus(opts: FleetOptions, setExit: (code: number) => void): Promise<void> {
  const runId = opts.run ?? '';
  const log = stderrLogger({ verbose: opts.verbose === true });
  const fleet = await loadFleet({ dir: opts.file ?? '.', cwd: process.cwd() });
  if (hasErrors(fleet.diagnostics)) throw new DiagnosticsError(fleet.diagnostics);
  const opened = await openFleetQueue({ fleet, backend: opts.backend, log });
  try {
    const jobs = await opened.queue.runJobs(runId);
    if (jobs.length === 0)
      throw new UserError(`no queued run ${runId} in fleet ${fleet.settings.name} (${opened.location})`);
    const latest = new Map<string, TenantResult>();
    for (const r of await opened.results.runResults(runId)) latest.set(r.tenant, r.result);
    const results = [...latest.values()].sort((a, b) => a.tenant.localeCompare(b.tenant));
    const run: FleetRun = {
      command: results[0]?.command ?? 'drift',
      fleet: fleet.settings.name,
      results,
      notRun: [],
      canary: [],
      runId,
      diagnostics: [],
    };
    if (opts.format === 'json') {
      const doc: FleetDocument = { ...fleetDocument(run, 'status'), jobs };
      out(JSON.stringify(doc, null, 2));
    } else {
      if (results.length > 0) render(run, opts, 'status');
      out(renderQueuedJobs(runId, jobs));
    }
    setExit(jobs.some((j) => j.state === 'failed') ? 1 : 0);
  } finally {
    await opened.close();
  }
}
