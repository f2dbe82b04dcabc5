import type { Logger, Secret } from '@roster/core';
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import { loadPg, pgMissingError } from '../backend.js';
import type {
  EnqueueRequest,
  FleetJob,
  FleetQueue,
  JobClaim,
  QueuedCommand,
  QueuedJobState,
  QueuedJobStatus,
  QueuedRunOptions,
} from './fleet-queue.js';
import { ensureQueueTables } from './queue-tables.js';

/** pg-boss's schema in the state database (its tables, created on first use). */
export const QUEUE_SCHEMA = 'roster_queue';

/** Tuning of a fleet queue; the defaults suit production, tests shorten them. */
export interface PgBossFleetQueueOptions {
  /** The state backend's URL (the same database). */
  url: Secret | string;
  /** The Fleet's `metadata.name`: its jobs are a queue of their own. */
  fleet: string;
  logger?: Logger;
  /** Attempts after the first (a failed attempt, or one whose worker is gone). Default 3. */
  retryLimit?: number;
  /** Seconds before the first retry, doubled for each next one. Default 2. */
  retryDelaySeconds?: number;
  /** A running job is given up (and retried) after this long: a hung worker's backstop. Default 2 h. */
  timeoutSeconds?: number;
  /** Whether this instance does pg-boss's upkeep (expiry, archiving): workers do, `enqueue` doesn't. */
  supervise?: boolean;
}

/** A job's data: plain JSON in pg-boss's table. */
interface JobData {
  runId: string;
  tenant: string;
  command: QueuedCommand;
  options: QueuedRunOptions;
}

let library: Promise<typeof PgBoss> | undefined;
/** pg-boss loads `pg` itself: imported on first use, as the state backend imports `pg`. */
function loadPgBoss(): Promise<typeof PgBoss> {
  library ??= import('pg-boss').then(
    (m) => m.default,
    (e: unknown) => {
      library = undefined;
      throw pgMissingError(e);
    },
  );
  return library;
}

const reveal = (url: Secret | string) => (typeof url === 'string' ? url : url.reveal());

/** A running job is orphaned when no claim was written this long after a worker took it. */
const UNCLAIMED_GRACE_SECONDS = 60;

/**
 * The fleet queue on pg-boss: one queue per fleet with the `singleton` policy keyed by tenant (at
 * most one running job per tenant), retries with backoff, a timeout as a backstop, and
 * `retryOrphans` for killed workers (their claim's session is gone), so no job waits for a timeout.
 */
export class PgBossFleetQueue implements FleetQueue {
  readonly name: string;
  readonly #opts: PgBossFleetQueueOptions;
  #boss: Promise<PgBoss> | undefined;
  #pool: Promise<pg.Pool> | undefined;

  constructor(opts: PgBossFleetQueueOptions) {
    this.#opts = opts;
    this.name = `roster-fleet-${opts.fleet}`;
  }

  /** A pool of the state database for roster's own queue tables. */
  pool(): Promise<pg.Pool> {
    this.#pool ??= loadPg().then(async (driver) => {
      const pool = new driver.Pool({
        connectionString: reveal(this.#opts.url),
        max: 2,
        allowExitOnIdle: true,
        application_name: 'roster-queue',
      });
      pool.on('error', (err) =>
        this.#opts.logger?.debug(`queue database: idle connection lost (${err.message})`),
      );
      const client = await pool.connect();
      try {
        await ensureQueueTables(client);
      } finally {
        client.release();
      }
      return pool;
    });
    return this.#pool;
  }

  #start(): Promise<PgBoss> {
    this.#boss ??= loadPgBoss().then(async (Boss) => {
      const boss = new Boss({
        connectionString: reveal(this.#opts.url),
        schema: QUEUE_SCHEMA,
        max: 2,
        application_name: 'roster-queue',
        supervise: this.#opts.supervise === true,
        schedule: false,
        maintenanceIntervalSeconds: 30,
      });
      boss.on('error', (err: Error) => this.#opts.logger?.debug(`queue: ${err.message}`));
      await boss.start();
      await boss.createQueue(this.name, {
        name: this.name,
        policy: 'singleton',
        retryLimit: this.#opts.retryLimit ?? 3,
        retryDelay: this.#opts.retryDelaySeconds ?? 2,
        retryBackoff: true,
        expireInSeconds: this.#opts.timeoutSeconds ?? 7200,
      });
      await this.pool();
      return boss;
    });
    return this.#boss;
  }

  /** Connect, and create the queue and its tables if absent (otherwise done on first use). */
  async start(): Promise<void> {
    await this.#start();
  }

  async enqueue(req: EnqueueRequest): Promise<number> {
    const boss = await this.#start();
    const jobs = req.tenants.map((tenant) => ({
      name: this.name,
      data: { runId: req.runId, tenant, command: req.command, options: req.options } satisfies JobData,
      singletonKey: tenant,
    }));
    await boss.insert(jobs);
    return jobs.length;
  }

  async take(): Promise<FleetJob | undefined> {
    const boss = await this.#start();
    const fetch = () => boss.fetch<JobData>(this.name, { batchSize: 1, includeMetadata: true });
    let [job] = await fetch();
    if (!job && (await this.#promoteRunnable())) [job] = await fetch();
    if (!job) return undefined;
    return {
      id: job.id,
      runId: job.data.runId,
      tenant: job.data.tenant,
      command: job.data.command,
      options: job.data.options ?? {},
      attempt: job.retryCount + 1,
    };
  }

  async claim(job: FleetJob, worker: string): Promise<JobClaim | undefined> {
    await this.pool();
    const driver = await loadPg();
    const client = new driver.Client({
      connectionString: reveal(this.#opts.url),
      application_name: 'roster-worker',
    });
    client.on('error', (err) => this.#opts.logger?.debug(`claim session: ${err.message}`));
    await client.connect();
    try {
      const lock = await client.query<{ ok: boolean }>(
        "SELECT pg_try_advisory_lock(hashtextextended('roster:fleet-tenant:' || $1, 0)) AS ok",
        [job.tenant],
      );
      if (!lock.rows[0]?.ok) {
        await client.end();
        return undefined;
      }
      await client.query(
        `INSERT INTO roster_fleet_claims (job_id, run_id, tenant, worker, backend_pid, backend_start)
         SELECT $1, $2, $3, $4, pg_backend_pid(),
                (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid())
         ON CONFLICT (job_id) DO UPDATE SET worker = EXCLUDED.worker, backend_pid = EXCLUDED.backend_pid,
           backend_start = EXCLUDED.backend_start, claimed_at = now()`,
        [job.id, job.runId, job.tenant, worker],
      );
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    // Ending the session releases the tenant's lock; the claim row stays for status.
    return { release: () => client.end() };
  }

  /**
   * pg-boss fetches the oldest ready job, and gets nothing when that job's tenant is running (the
   * singleton index refuses it): one blocked job would hold back every job queued after it. When a
   * fetch got nothing, the oldest ready job of a tenant not running is moved ahead (its priority
   * raised) so the next fetch takes it. Whether one was.
   */
  async #promoteRunnable(): Promise<boolean> {
    const pool = await this.pool();
    const r = await pool.query(
      `UPDATE ${QUEUE_SCHEMA}.job SET priority = priority + 1
        WHERE name = $1 AND id = (
          SELECT j.id FROM ${QUEUE_SCHEMA}.job j
           WHERE j.name = $1 AND j.state < 'active' AND j.start_after < now()
             AND NOT EXISTS (SELECT 1 FROM ${QUEUE_SCHEMA}.job a
                              WHERE a.name = $1 AND a.state = 'active' AND a.singleton_key = j.singleton_key)
           ORDER BY j.priority DESC, j.created_on, j.id
           LIMIT 1)`,
      [this.name],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async complete(job: FleetJob): Promise<void> {
    await (await this.#start()).complete(this.name, job.id);
  }

  async fail(job: FleetJob, reason: string): Promise<void> {
    await (await this.#start()).fail(this.name, job.id, { message: reason });
  }

  async retryOrphans(): Promise<string[]> {
    const boss = await this.#start();
    const pool = await this.pool();
    // A claim older than the job's start is an earlier attempt's. A session is matched on its pid
    // and start time (a pid alone may be reused); another user's session shows no start time.
    const orphans = await pool.query<{ id: string; tenant: string }>(
      `SELECT j.id, j.data->>'tenant' AS tenant
         FROM ${QUEUE_SCHEMA}.job j
         LEFT JOIN roster_fleet_claims c ON c.job_id = j.id AND c.claimed_at >= j.started_on
        WHERE j.name = $1 AND j.state = 'active'
          AND CASE WHEN c.job_id IS NULL
                THEN j.started_on < now() - make_interval(secs => $2)
                ELSE NOT EXISTS (
                  SELECT 1 FROM pg_stat_activity a
                   WHERE a.pid = c.backend_pid
                     AND (a.backend_start IS NULL OR c.backend_start IS NULL OR a.backend_start = c.backend_start))
              END`,
      [this.name, UNCLAIMED_GRACE_SECONDS],
    );
    if (orphans.rows.length === 0) return [];
    for (const r of orphans.rows) await boss.fail(this.name, r.id, { message: 'its worker is gone' });
    return orphans.rows.map((r) => r.tenant);
  }

  async runJobs(runId: string): Promise<QueuedJobStatus[]> {
    await this.#start();
    const pool = await this.pool();
    // Finished jobs move to the archive table after a while: a run is read from both.
    const rows = await pool.query<{ tenant: string; state: string; starts: number; output: unknown }>(
      `SELECT tenant, state, starts, output FROM (
         SELECT data->>'tenant' AS tenant, state::text, retry_count AS starts, started_on, output
           FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND data->>'runId' = $2
         UNION ALL
         SELECT data->>'tenant', state::text, retry_count, started_on, output
           FROM ${QUEUE_SCHEMA}.archive WHERE name = $1 AND data->>'runId' = $2
       ) j ORDER BY tenant`,
      [this.name, runId],
    );
    return rows.rows.map((r) => {
      const state = STATES[r.state] ?? 'queued';
      const message = (r.output as { message?: unknown } | null)?.message;
      const attempts = state === 'queued' ? 0 : r.starts + 1;
      return {
        tenant: r.tenant,
        state,
        attempts,
        ...(typeof message === 'string' && state !== 'completed' ? { error: message } : {}),
      };
    });
  }

  async close(): Promise<void> {
    const boss = this.#boss;
    const pool = this.#pool;
    this.#boss = undefined;
    this.#pool = undefined;
    await Promise.allSettled([
      boss?.then((b) => b.stop({ graceful: false, wait: true })),
      pool?.then((p) => p.end()),
    ]);
  }
}

const STATES: Record<string, QueuedJobState> = {
  created: 'queued',
  retry: 'retry',
  active: 'running',
  completed: 'completed',
  cancelled: 'cancelled',
  failed: 'failed',
};
