export {
  PostgresStateBackend,
  type PostgresStateBackendOptions,
  redactUrl,
  WORKSPACE_PATTERN,
} from './backend.js';
export { MIGRATIONS, migrate } from './migrations.js';
export type {
  EnqueueRequest,
  FleetJob,
  FleetQueue,
  JobClaim,
  QueuedCommand,
  QueuedJobState,
  QueuedJobStatus,
  QueuedRunOptions,
} from './queue/fleet-queue.js';
export { PostgresFleetResults, type RecordedRun, type RunResultRow } from './queue/fleet-results.js';
export { PgBossFleetQueue, type PgBossFleetQueueOptions, QUEUE_SCHEMA } from './queue/pg-boss-queue.js';
export { type RunWorkerRequest, runWorker, type WorkerEvent } from './queue/worker.js';
