import type { FleetResults, TenantResult } from '@roster/core';
import type { PostgresStateBackend } from './backend.js';

/**
 * A fleet's results in PostgreSQL (`roster_fleet_results`), in the database its state backend
 * uses: every machine running the fleet (or a queue worker) records there, and `roster fleet
 * status` reads it from anywhere.
 */
export class PostgresFleetResults implements FleetResults {
  readonly #backend: PostgresStateBackend;
  readonly #fleet: string;

  constructor(backend: PostgresStateBackend, fleet: string) {
    this.#backend = backend;
    this.#fleet = fleet;
  }

  get location(): string {
    return `roster_fleet_results of ${this.#backend.workspacesLocation}`;
  }

  record(tenant: string, result: TenantResult): Promise<void> {
    return this.#backend.recordFleetResult(this.#fleet, tenant, result);
  }

  async latest(): Promise<TenantResult[]> {
    return (await this.#backend.fleetResults(this.#fleet)) as TenantResult[];
  }
}
