import type { TenantResult } from '@roster/core';
import type pg from 'pg';

/** A tenant's result as a queue worker recorded it. */
export interface RecordedRun {
  runId: string;
  tenant: string;
  jobId: string;
  worker: string;
  startedAt: Date;
  result: TenantResult;
}

/** A recorded result of a queued run, read back. */
export interface RunResultRow {
  tenant: string;
  worker: string;
  startedAt: Date;
  finishedAt: Date;
  result: TenantResult;
}

/**
 * The results of queued runs in the state database (`roster_fleet_job_results`): each finished
 * attempt is a row with its run, worker, start and end, so `roster fleet status --run` reads a
 * run and a run can be checked for exactly-once. (The latest result of each tenant, what plain
 * `roster fleet status` reads, is recorded beside it through the fleet's own results.)
 */
export class QueuedRunResults {
  readonly location: string;
  readonly #pool: () => Promise<pg.Pool>;

  constructor(opts: { pool: () => Promise<pg.Pool>; location: string }) {
    this.#pool = opts.pool;
    this.location = opts.location;
  }

  async recordRun(r: RecordedRun): Promise<void> {
    await (await this.#pool()).query(
      `INSERT INTO roster_fleet_job_results (run_id, tenant, job_id, worker, started_at, finished_at, result)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [r.runId, r.tenant, r.jobId, r.worker, r.startedAt, r.result.finishedAt, JSON.stringify(r.result)],
    );
  }

  /** Whether the run already has the tenant's result (a retried job whose worker died after recording it). */
  async hasRun(runId: string, tenant: string): Promise<boolean> {
    const r = await (await this.#pool()).query(
      'SELECT 1 FROM roster_fleet_job_results WHERE run_id = $1 AND tenant = $2 LIMIT 1',
      [runId, tenant],
    );
    return r.rows.length > 0;
  }

  /** Every recorded result of a run, in the order recorded. */
  async runResults(runId: string): Promise<RunResultRow[]> {
    const r = await (await this.#pool()).query<{
      tenant: string;
      worker: string;
      started_at: Date;
      finished_at: Date;
      result: TenantResult;
    }>(
      `SELECT tenant, worker, started_at, finished_at, result FROM roster_fleet_job_results
        WHERE run_id = $1 ORDER BY seq`,
      [runId],
    );
    return r.rows.map((x) => ({
      tenant: x.tenant,
      worker: x.worker,
      startedAt: x.started_at,
      finishedAt: x.finished_at,
      result: x.result,
    }));
  }
}
