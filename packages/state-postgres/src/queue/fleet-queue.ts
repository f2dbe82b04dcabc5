/** The fleet commands a queue runs: read-only ones, which a retry simply runs again. */
export type QueuedCommand = 'plan' | 'drift';

/** Options of a queued tenant run (those of `roster fleet drift|plan` that a worker passes on). */
export interface QueuedRunOptions {
  allowEmptyState?: boolean;
  apiBudget?: number;
}

/** One job: one tenant's run within a queued fleet run. */
export interface FleetJob {
  /** The queue's job id. */
  id: string;
  runId: string;
  tenant: string;
  command: QueuedCommand;
  options: QueuedRunOptions;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/** A worker's hold on a job's tenant; released when the job is done or failed. */
export interface JobClaim {
  release(): Promise<void>;
}

/** A queued fleet run: one job per tenant. */
export interface EnqueueRequest {
  runId: string;
  command: QueuedCommand;
  tenants: readonly string[];
  options: QueuedRunOptions;
}

/** Where a job of a queued run is. */
export type QueuedJobState = 'queued' | 'retry' | 'running' | 'completed' | 'failed' | 'cancelled';

/** A job of a queued run, as `roster fleet status --run` shows it. */
export interface QueuedJobStatus {
  tenant: string;
  state: QueuedJobState;
  /** Attempts started so far (0 while queued). */
  attempts: number;
  /** Why the last attempt failed (a worker gone, an error), when it did. */
  error?: string;
}

/**
 * The job queue of a fleet, in the PostgreSQL database of its state: `roster fleet drift --queue`
 * enqueues, `roster worker` takes jobs (`runWorker`), `roster fleet status --run` reads. One
 * implementation (pg-boss, `PgBossFleetQueue`); the rest of roster sees only this.
 */
export interface FleetQueue {
  /** Add one job per tenant; the number of jobs added. */
  enqueue(req: EnqueueRequest): Promise<number>;
  /** The jobs of a run, sorted by tenant (none: no such run in this fleet's queue). */
  runJobs(runId: string): Promise<QueuedJobStatus[]>;
  /** The next job a worker may run now, if any: never one whose tenant has a job running. */
  take(): Promise<FleetJob | undefined>;
  /**
   * Claim a taken job for this worker: hold the tenant's lock on a database session of its own
   * (PostgreSQL releases it when the worker dies) and record the session. `undefined`: the tenant
   * is running elsewhere (a job given up on a timeout whose worker still runs): fail the job.
   */
  claim(job: FleetJob, worker: string): Promise<JobClaim | undefined>;
  /** The job's run is over (its result recorded). */
  complete(job: FleetJob): Promise<void>;
  /** The job's attempt failed: it is retried later, up to the retry limit. */
  fail(job: FleetJob, reason: string): Promise<void>;
  /**
   * Retry the running jobs whose worker is gone: its claim's database session has ended (a killed
   * worker's connection closes with it), or it never claimed the job it took. The tenants retried.
   */
  retryOrphans(): Promise<string[]>;
  close(): Promise<void>;
}
