import { emptyStateDocument, type StateDocument } from '@roster/core';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../../test/support/postgres-database.js';
import { PostgresStateBackend } from './backend.js';
import { PostgresConnectionPool } from './connection-pool.js';

// Against the real PostgreSQL server the test setup starts (test/setup/postgres.ts).
const server = inject('postgres');
const pools: PostgresConnectionPool[] = [];

afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

function stateWith(id: string): StateDocument {
  const doc = { ...emptyStateDocument(), serial: 1 };
  doc.resources[`p/ServiceAccount/${id}`] = {
    provider: 'p',
    kind: 'ServiceAccount',
    name: id,
    id,
    naturalKey: id.toUpperCase(),
    attributes: {},
    dependencies: [],
  };
  return doc;
}

/** Sessions of the database named `application_name = 'roster'` (the pool's), other than `admin`'s. */
async function rosterSessions(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const r = await admin.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'roster'",
    );
    return r.rows[0]!.n;
  } finally {
    await admin.end();
  }
}

describe.skipIf(!server.available)('PostgresConnectionPool shared by workspaces', () => {
  it("keeps each workspace's state its own, checks the schema once, and stays open when a backend closes", async () => {
    const url = await freshDatabase(server, 'pool');
    const pool = new PostgresConnectionPool({ url, max: 2 });
    pools.push(pool);
    const tenants = ['acme', 'globex', 'initech', 'umbrella'].map(
      (workspace) => new PostgresStateBackend({ url: 'postgres://ignored', workspace, pool }),
    );
    expect(tenants[0]!.location).toMatch(/^postgres:\/\/.*\(workspace acme\)$/);
    // All at once, as a fleet's tenants: each writes its own state, then reads it back.
    await Promise.all(tenants.map((b) => b.write(stateWith(b.workspace), 0)));
    const read = await Promise.all(tenants.map((b) => b.read()));
    for (const [i, b] of tenants.entries())
      expect(Object.keys(read[i]!.resources)).toEqual([`p/ServiceAccount/${b.workspace}`]);
    expect(pool.schemaChecks).toBe(1);
    // Four workspaces, two connections (max), one schema check.
    expect(await rosterSessions(url)).toBeLessThanOrEqual(2);

    // A tenant's backend closing (the fleet closes each) leaves the shared connections to the others.
    await tenants[0]!.close();
    expect((await tenants[1]!.read()).resources).toHaveProperty(['p/ServiceAccount/globex']);

    // Locks are per workspace, on sessions of their own: two tenants locked at once.
    const [a, b] = await Promise.all([
      tenants[2]!.lock({ operation: 'apply' }),
      tenants[3]!.lock({ operation: 'apply' }),
    ]);
    expect((await tenants[2]!.currentLock())?.id).toBe(a.id);
    expect((await tenants[3]!.currentLock())?.id).toBe(b.id);
    await tenants[2]!.close();
    await tenants[3]!.close();
    expect(await tenants[1]!.currentLock()).toBeUndefined();

    await pool.close();
    await expect(tenants[1]!.read()).rejects.toThrow(/closed/);
  });

  it('a backend without a shared pool opens its own and ends it on close', async () => {
    const url = await freshDatabase(server, 'pool');
    const b = new PostgresStateBackend({ url, workspace: 'solo' });
    await b.read();
    expect(await rosterSessions(url)).toBe(1);
    await b.close();
    await expect.poll(() => rosterSessions(url)).toBe(0);
  });
});
