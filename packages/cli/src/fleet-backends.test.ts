import { type Project, Secret, stderrLogger } from '@roster/core';
import { PostgresStateBackend } from '@roster/state-postgres';
import { describe, expect, it } from 'vitest';
import { MAX_SHARED_CONNECTIONS, TenantStatePools, tenantBackend } from './fleet-backends.js';

const log = stderrLogger({ verbose: false });
const project = {} as Project;

describe('TenantStatePools', () => {
  it('gives the tenants of a run one pool per database, of at most the tenants at once', async () => {
    const pools = new TenantStatePools({ tenantsAtOnce: 3, log });
    const a = pools.for('postgres://u:p@db-a/roster');
    expect(pools.for(new Secret('postgres://u:p@db-a/roster', 'state backend URL'))).toBe(a);
    expect(pools.for('postgres://u:p@db-b/roster')).not.toBe(a);
    expect(a.max).toBe(3);
    expect(new TenantStatePools({ tenantsAtOnce: 64, log }).for('postgres://db').max).toBe(
      MAX_SHARED_CONNECTIONS,
    );
    await pools.close();
  });

  it("each tenant's backend is its own workspace over the shared pool", async () => {
    const pools = new TenantStatePools({ tenantsAtOnce: 8, log });
    const opts = { backend: 'postgres://u:p@db/roster' };
    const acme = tenantBackend(opts, 'acme', '/tmp/x/acme', project, log, pools);
    const globex = tenantBackend(opts, 'globex', '/tmp/x/globex', project, log, pools);
    expect(acme).toBeInstanceOf(PostgresStateBackend);
    expect((acme as PostgresStateBackend).workspace).toBe('acme');
    expect((globex as PostgresStateBackend).workspace).toBe('globex');
    expect(acme.location).toBe('postgres://u@db/roster (workspace acme)');
    await pools.close();
  });
});
