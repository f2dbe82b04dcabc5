import {
  DiagnosticsError,
  type Fleet,
  type FleetResults,
  LocalFleetResults,
  LocalStateBackend,
  type Logger,
  openTenantProject,
  type Project,
  type Secret,
  type StateBackend,
  stderrLogger,
  tenantStateDir,
} from '@roster/core';
import { PostgresConnectionPool, PostgresFleetResults, PostgresStateBackend } from '@roster/state-postgres';
import { builtinProviders } from './providers.js';
import { backendFor } from './state-backend.js';

// Where a fleet's tenants keep their state and results: shared by `roster fleet` and what runs
// tenants elsewhere (a queue worker), so both pick the same backend for a tenant.

/**
 * The connections a run's tenants share, one pool per state database, closed when the run ends:
 * tenants then sign in to PostgreSQL and check its schema once per run, not once each (issue 19).
 * Only connections are shared; each tenant's backend is its own workspace.
 */
export class TenantStatePools {
  readonly #pools = new Map<string, PostgresConnectionPool>();
  readonly #max: number;
  readonly #log: Logger;

  /** `max`: connections per database (the tenants run at once, at most {@link MAX_SHARED_CONNECTIONS}). */
  constructor(opts: { tenantsAtOnce: number; log: Logger }) {
    this.#max = Math.max(1, Math.min(opts.tenantsAtOnce, MAX_SHARED_CONNECTIONS));
    this.#log = opts.log;
  }

  for(url: string | Secret): PostgresConnectionPool {
    const key = typeof url === 'string' ? url : url.reveal();
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new PostgresConnectionPool({ url, max: this.#max, logger: this.#log });
      this.#pools.set(key, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#pools.values()].map((p) => p.close()));
    this.#pools.clear();
  }
}

/**
 * Connections per state database a fleet run shares at most. A tenant's drift holds one for a read
 * and a write of a few milliseconds each, so a few serve many tenants at once (docs/benchmarks.md,
 * "Per-tenant cost").
 */
export const MAX_SHARED_CONNECTIONS = 8;

/**
 * The tenant's state backend: `--backend`/`ROSTER_BACKEND`, else the baseline's (or Fleet's) Backend
 * document, else local under `.roster/tenants/<tenant>/`. On PostgreSQL the workspace is the tenant,
 * over the run's shared connections when `pools` is given.
 */
export function tenantBackend(
  opts: { backend?: string },
  tenant: string,
  stateDir: string,
  project: Project,
  log: Logger,
  pools?: TenantStatePools,
): StateBackend {
  const given = opts.backend ?? process.env.ROSTER_BACKEND;
  const base = { stateDir, logger: log, workspace: tenant, ...(pools ? { pools } : {}) };
  if (given && given !== 'local') return backendFor(given, base);
  const url = !given && project.backend?.type === 'postgres' ? project.backend.url : undefined;
  if (url?.problem) throw new DiagnosticsError([url.problem]);
  if (url) return backendFor(url, base);
  return new LocalStateBackend({ dir: stateDir, logger: log });
}

/**
 * Where tenants' results are recorded: with their state, so `roster fleet status` finds them where
 * the fleet runs — `roster_fleet_results` for a tenant on PostgreSQL, `.roster/results/` otherwise.
 */
export function resultsByBackend(
  fleetDir: string,
  fleet: string,
  backends: ReadonlyMap<string, StateBackend>,
): FleetResults {
  const local = new LocalFleetResults(fleetDir);
  return {
    location: local.location,
    record: (tenant, result) => {
      const b = backends.get(tenant);
      return b instanceof PostgresStateBackend
        ? new PostgresFleetResults(b, fleet).record(tenant, result)
        : local.record(tenant, result);
    },
    latest: () => local.latest(),
  };
}

/**
 * The PostgreSQL backend `status` reads results from: `--backend`/`ROSTER_BACKEND`, else the one a
 * tenant's project names (the Fleet's `spec.backend` or a baseline Backend document); none: local.
 */
export async function statusBackend(
  opts: { backend?: string; verbose?: boolean },
  fleet: Fleet,
): Promise<PostgresStateBackend | undefined> {
  const log = stderrLogger({ verbose: opts.verbose === true });
  const first = fleet.tenants[0];
  const given = opts.backend ?? process.env.ROSTER_BACKEND;
  if (given === 'local' || !first) return undefined;
  const project = given
    ? undefined
    : (await openTenantProject({ fleet, tenant: first, providers: builtinProviders })).project;
  if (!given && project?.backend?.type !== 'postgres') return undefined;
  const b = project
    ? tenantBackend(opts, first.name, tenantStateDir(fleet, first.name), project, log)
    : backendFor(given!, { stateDir: tenantStateDir(fleet, first.name), logger: log });
  return b instanceof PostgresStateBackend ? b : undefined;
}
