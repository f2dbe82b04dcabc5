import type pg from 'pg';

/**
 * roster's own tables beside pg-boss's schema: who claimed each running job (its database session,
 * so a killed worker is told from a slow one) and every finished attempt's result. Created if absent
 * rather than as a state migration: a fleet queue is optional, and its tables come and go with it.
 */
const TABLES = `
  CREATE TABLE IF NOT EXISTS roster_fleet_claims (
    job_id        uuid PRIMARY KEY,
    run_id        text NOT NULL,
    tenant        text NOT NULL,
    worker        text NOT NULL,
    backend_pid   integer NOT NULL,
    backend_start timestamptz,
    claimed_at    timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS roster_fleet_job_results (
    seq         bigserial PRIMARY KEY,
    run_id      text NOT NULL,
    tenant      text NOT NULL,
    job_id      uuid NOT NULL,
    worker      text NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    result      jsonb NOT NULL
  );
  CREATE INDEX IF NOT EXISTS roster_fleet_job_results_run ON roster_fleet_job_results (run_id, tenant);
`;

/** Create the fleet tables once per database, serialised across processes starting at once. */
export async function ensureQueueTables(client: pg.ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('roster:fleet-tables', 0))");
    await client.query(TABLES);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
}
