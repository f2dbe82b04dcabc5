import { randomBytes } from 'node:crypto';
import {
  DiagnosticsError,
  type Fleet,
  type Logger,
  openTenantProject,
  type Secret,
  UserError,
} from '@roster/core';
import { PgBossFleetQueue, QueuedRunResults, redactUrl } from '@roster/state-postgres';
import { builtinProviders } from './providers.js';

/** A fleet's queue and results in its PostgreSQL state database. */
export interface OpenedFleetQueue {
  queue: PgBossFleetQueue;
  results: QueuedRunResults;
  /** The database, password removed, for messages. */
  location: string;
  close(): Promise<void>;
}

const isPostgresUrl = (s: string) => /^postgres(ql)?:\/\//.test(s);

/**
 * The fleet's PostgreSQL URL, as its tenants' state backend is chosen: `--backend`, else
 * `ROSTER_BACKEND`, else the Fleet's `spec.backend` (read through a tenant's project, where its
 * `${env:…}` is resolved). A queue lives beside the state, so a local backend is refused.
 */
export async function fleetDatabaseUrl(fleet: Fleet, flag: string | undefined): Promise<Secret | string> {
  const given = flag ?? process.env.ROSTER_BACKEND;
  if (given && isPostgresUrl(given)) return given;
  const refuse = () =>
    new UserError(
      'the fleet queue lives in the PostgreSQL database of the fleet state: give the Fleet a backend ' +
        '(spec.backend: {type: postgres, credentials: {url: ${env:…}}}) or pass --backend postgres://…',
    );
  if (given) throw refuse();
  const [tenant] = fleet.tenants;
  if (!tenant) throw refuse();
  const { project } = await openTenantProject({ fleet, tenant, providers: builtinProviders });
  const url = project.backend?.type === 'postgres' ? project.backend.url : undefined;
  if (url?.problem) throw new DiagnosticsError([url.problem]);
  if (!url) throw refuse();
  return url;
}

/** Open the fleet's queue (`supervise`: this process does pg-boss's upkeep, as workers do). */
export async function openFleetQueue(req: {
  fleet: Fleet;
  backend: string | undefined;
  log: Logger;
  supervise?: boolean;
}): Promise<OpenedFleetQueue> {
  const url = await fleetDatabaseUrl(req.fleet, req.backend);
  const queue = new PgBossFleetQueue({
    url,
    fleet: req.fleet.settings.name,
    logger: req.log,
    ...(req.supervise ? { supervise: true } : {}),
  });
  const location = redactUrl(typeof url === 'string' ? url : url.reveal());
  const results = new QueuedRunResults({ pool: () => queue.pool(), location });
  return { queue, results, location, close: () => queue.close() };
}

/** A new queued run's id: sortable by time, unique across machines. */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
