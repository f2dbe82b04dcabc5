import type { TenantResult } from '@roster/core';
import type { FleetJob, FleetQueue } from './fleet-queue.js';
import type { QueuedRunResults } from './run-results.js';

/** What a worker tells as it goes (the CLI prints it on stderr). */
export type WorkerEvent =
  | { type: 'started'; job: FleetJob }
  | { type: 'finished'; job: FleetJob; result: TenantResult }
  | { type: 'already-recorded'; job: FleetJob }
  | { type: 'busy'; job: FleetJob }
  | { type: 'failed'; job: FleetJob; reason: string }
  | { type: 'orphans'; tenants: string[] };

export interface RunWorkerRequest {
  queue: FleetQueue;
  results: QueuedRunResults;
  /** This worker's name in claims and results (host and pid). */
  worker: string;
  /** Run one tenant's job; a thrown error fails the attempt (it is retried). */
  run(job: FleetJob): Promise<TenantResult>;
  /** Jobs at once. */
  concurrency: number;
  /** Exit once no job is available and none is running. */
  once?: boolean;
  /** Exit after this many seconds with no job available and none running. */
  idleExitSeconds?: number;
  /** Stop taking jobs; the running ones finish. */
  signal?: AbortSignal;
  onEvent?(e: WorkerEvent): void;
  /** Called once a job is claimed, before it runs (the end-to-end test holds a job here). */
  claimed?(job: FleetJob): Promise<void>;
  /** How often to look for jobs when idle, and for jobs of dead workers (ms). */
  pollMs?: number;
  sweepMs?: number;
}

/**
 * Take jobs from the fleet queue and run them, `concurrency` at a time, until stopped (or idle,
 * with `once`/`idleExitSeconds`). Each job is claimed (the tenant's lock, on a session of its own)
 * before it runs; its result is recorded, then the job completed, so a worker killed anywhere
 * loses nothing: the job is retried, and a retry that finds the result recorded only completes it.
 */
export async function runWorker(req: RunWorkerRequest): Promise<{ ran: number }> {
  const pollMs = req.pollMs ?? 1000;
  const sweepMs = req.sweepMs ?? 5000;
  const running = new Set<Promise<void>>();
  let ran = 0;
  let idleSince = Date.now();
  let lastSweep = 0;
  while (!req.signal?.aborted) {
    if (Date.now() - lastSweep >= sweepMs) {
      lastSweep = Date.now();
      const tenants = await req.queue.retryOrphans();
      if (tenants.length > 0) req.onEvent?.({ type: 'orphans', tenants });
    }
    while (running.size < req.concurrency && !req.signal?.aborted) {
      const job = await req.queue.take();
      if (!job) break;
      ran++;
      const p: Promise<void> = runJob(req, job).finally(() => running.delete(p));
      running.add(p);
    }
    if (running.size > 0) idleSince = Date.now();
    else if (req.once) break;
    else if (req.idleExitSeconds !== undefined && Date.now() - idleSince >= req.idleExitSeconds * 1000) break;
    // Wake when a job finishes (a slot is free), when it is time to poll, or when stopped.
    await Promise.race([...running, pause(pollMs, req.signal)]);
  }
  await Promise.allSettled([...running]);
  return { ran };
}

async function runJob(req: RunWorkerRequest, job: FleetJob): Promise<void> {
  let claim: Awaited<ReturnType<FleetQueue['claim']>>;
  try {
    claim = await req.queue.claim(job, req.worker);
  } catch (e) {
    await failJob(req, job, message(e));
    return;
  }
  if (!claim) {
    req.onEvent?.({ type: 'busy', job });
    await failJob(req, job, `tenant ${job.tenant} is running elsewhere`, false);
    return;
  }
  try {
    if (await req.results.hasRun(job.runId, job.tenant)) {
      await req.queue.complete(job);
      req.onEvent?.({ type: 'already-recorded', job });
      return;
    }
    req.onEvent?.({ type: 'started', job });
    await req.claimed?.(job);
    const startedAt = new Date();
    const result = await req.run(job);
    await req.results.recordRun({
      runId: job.runId,
      tenant: job.tenant,
      jobId: job.id,
      worker: req.worker,
      startedAt,
      result,
    });
    await req.queue.complete(job);
    req.onEvent?.({ type: 'finished', job, result });
  } catch (e) {
    await failJob(req, job, message(e));
  } finally {
    await claim.release().catch(() => undefined);
  }
}

async function failJob(req: RunWorkerRequest, job: FleetJob, reason: string, tell = true): Promise<void> {
  if (tell) req.onEvent?.({ type: 'failed', job, reason });
  // A failure to fail (the database gone) leaves the job running: the sweep of another worker
  // retries it once this worker's claim session is gone.
  await req.queue.fail(job, reason).catch(() => undefined);
}

function message(e: unknown): string {
  return ((e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '').slice(0, 500);
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
