import type pg from 'pg';

/**
 * The schema, as versioned migrations applied in order on first use. A migration never changes
 * once released: a new version adds a new entry. Each runs in its own transaction, serialised
 * across processes by a transaction-level advisory lock, so two roster runs starting at once on an
 * empty database do not both create the tables.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; description: string; sql: string }> = [
  {
    version: 1,
    description: 'state per workspace, lock holders, journal, audit log',
    sql: `
      CREATE TABLE roster_state (
        workspace   text PRIMARY KEY,
        lineage     text NOT NULL,
        serial      bigint NOT NULL CHECK (serial >= 0),
        document    jsonb NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
      -- Who holds each workspace's advisory lock: the lock itself is pg_try_advisory_lock on the
      -- holder's session, released by PostgreSQL when that session ends (a killed run included).
      CREATE TABLE roster_lock_holders (
        workspace   text PRIMARY KEY,
        lock_id     text NOT NULL,
        pid         integer NOT NULL,
        host        text NOT NULL,
        username    text NOT NULL,
        operation   text NOT NULL,
        backend_pid integer NOT NULL,
        created_at  timestamptz NOT NULL
      );
      CREATE TABLE roster_journal (
        workspace   text NOT NULL,
        seq         bigserial,
        entry       jsonb NOT NULL,
        written_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace, seq)
      );
      CREATE TABLE roster_audit (
        workspace   text NOT NULL,
        seq         bigserial,
        entry       jsonb NOT NULL,
        written_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace, seq)
      );
    `,
  },
  {
    version: 2,
    description: 'fleet mode: the latest result of each tenant of a fleet',
    sql: `
      CREATE TABLE roster_fleet_results (
        fleet       text NOT NULL,
        tenant      text NOT NULL,
        result      jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (fleet, tenant)
      );
    `,
  },
];

/** Key of the advisory lock that serialises migrations (any constant distinct from workspace keys). */
const MIGRATION_LOCK_KEY = 7_305_001;

/** Apply the migrations this database lacks, in one transaction; returns the versions applied now. */
export async function migrate(client: pg.ClientBase): Promise<number[]> {
  const applied: number[] = [];
  await client.query('BEGIN');
  try {
    // Even CREATE TABLE IF NOT EXISTS races between sessions: take the lock first.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS roster_schema_migrations (
      version     integer PRIMARY KEY,
      description text NOT NULL,
      applied_at  timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM roster_schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO roster_schema_migrations (version, description) VALUES ($1, $2)', [
        m.version,
        m.description,
      ]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return applied;
}
