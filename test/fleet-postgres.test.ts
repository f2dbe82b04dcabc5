import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { project, roster } from './helpers.js';
import { freshDatabase } from './support/postgres-database.js';

// A fleet whose state is on PostgreSQL (the Fleet's spec.backend): each tenant is a workspace, and
// `roster fleet status` reads the tenants' results from the database, not from the checkout.

const server = inject('postgres');

const files = (tenants: string[]) => {
  const out: Record<string, string> = {
    'fleet.yaml': `apiVersion: roster/v1
kind: Fleet
metadata: { name: pg-fleet }
spec:
  backend: { type: postgres, credentials: { url: "\${env:FLEET_DATABASE_URL}" } }
`,
    'baseline/access.yaml': `apiVersion: roster/v1
kind: Provider
metadata: { name: intacct }
spec: { type: intacct, endpoint: sandbox, companyId: "\${tenant.name}-co" }
---
apiVersion: roster/v1
kind: SecurityLevel
metadata: { name: billing-sync, provider: intacct }
spec:
  name: Billing Sync \${tenant.name}
  permissions: { accountsReceivable/invoices: [list, readonly] }
`,
  };
  for (const t of tenants)
    out[`tenants/${t}/tenant.yaml`] =
      `apiVersion: roster/v1\nkind: Tenant\nmetadata: { name: ${t} }\nspec: {}\n`;
  return out;
};

describe.skipIf(!server.available)('roster fleet on PostgreSQL', () => {
  it('keeps each tenant in the workspace named as it, and its results in roster_fleet_results', async () => {
    const url = await freshDatabase(server, 'fleet');
    const dir = project(files(['acme', 'globex']));
    const env = { FLEET_DATABASE_URL: url };
    const apply = await roster(['fleet', 'apply', '-f', dir, '--auto-approve'], { cwd: dir, env });
    expect(apply.code, apply.stderr).toBe(0);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const states = await c.query<{ workspace: string; names: string[] }>(
        "SELECT workspace, ARRAY(SELECT jsonb_object_keys(document->'resources')) AS names FROM roster_state ORDER BY workspace",
      );
      expect(states.rows).toEqual([
        { workspace: 'acme', names: ['intacct/SecurityLevel/billing-sync'] },
        { workspace: 'globex', names: ['intacct/SecurityLevel/billing-sync'] },
      ]);
      const results = await c.query<{ tenant: string; outcome: string }>(
        "SELECT tenant, result->>'outcome' AS outcome FROM roster_fleet_results WHERE fleet = 'pg-fleet' ORDER BY tenant",
      );
      expect(results.rows).toEqual([
        { tenant: 'acme', outcome: 'changes' },
        { tenant: 'globex', outcome: 'changes' },
      ]);
    } finally {
      await c.end();
    }
    // From a fresh checkout (no .roster/): status comes from the database.
    const fresh = project(files(['acme', 'globex']));
    const status = await roster(['fleet', 'status', '-f', fresh, '--format', 'json'], { cwd: fresh, env });
    expect(status.code, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout) as {
      command: string;
      tenants: Array<{ tenant: string; changes: number }>;
    };
    expect(doc.command).toBe('status');
    expect(doc.tenants.map((t) => [t.tenant, t.changes])).toEqual([
      ['acme', 1],
      ['globex', 1],
    ]);
  });
});
