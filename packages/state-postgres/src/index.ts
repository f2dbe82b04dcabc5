export {
  PostgresStateBackend,
  type PostgresStateBackendOptions,
  redactUrl,
  WORKSPACE_PATTERN,
} from './backend.js';
export { PostgresConnectionPool, type PostgresConnectionPoolOptions } from './connection-pool.js';
export { PostgresFleetResults } from './fleet-results.js';
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
export { PgBossFleetQueue, type PgBossFleetQueueOptions, QUEUE_SCHEMA } from './queue/pg-boss-queue.js';
export { QueuedRunResults, type RecordedRun, type RunResultRow } from './queue/run-results.js';
export { type RunWorkerRequest, runWorker, type WorkerEvent } from './queue/worker.js';
