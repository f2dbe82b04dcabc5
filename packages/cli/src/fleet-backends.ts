import {
  DiagnosticsError,
  type Fleet,
  type FleetResults,
  LocalFleetResults,
  LocalStateBackend,
  type Logger,
  openTenantProject,
  type Project,
  type StateBackend,
  stderrLogger,
  tenantStateDir,
} from '@roster/core';
import { PostgresFleetResults, PostgresStateBackend } from '@roster/state-postgres';
import { builtinProviders } from './providers.js';
import { backendFor } from './state-backend.js';

// Where a fleet's tenants keep their state and results: shared by `roster fleet` and what runs
// tenants elsewhere (a queue worker), so both pick the same backend for a tenant.

/**
 * The tenant's state backend: `--backend`/`ROSTER_BACKEND`, else the baseline's (or Fleet's) Backend
 * document, else local under `.roster/tenants/<tenant>/`. On PostgreSQL the workspace is the tenant.
 */
export function tenantBackend(
  opts: { backend?: string },
  tenant: string,
  stateDir: string,
  project: Project,
  log: Logger,
): StateBackend {
  const given = opts.backend ?? process.env.ROSTER_BACKEND;
  const base = { stateDir, logger: log, workspace: tenant };
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
