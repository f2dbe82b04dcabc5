import { describe, expect, it } from 'vitest';
import { project, roster, serveSandbox } from './helpers.js';
import { IntacctApi } from './intacct-api.js';

/** A small Intacct project: one role and three web services users holding it. */
const files = {
  'provider.yaml': `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec: { type: intacct, endpoint: sandbox, companyId: demo-co }
`,
  'role.yaml': `apiVersion: roster/v1
kind: SecurityLevel
metadata: { name: sync, provider: books }
spec:
  name: Sync
  description: What the integrations need
  permissions:
    accountsPayable/bills: [list, readonly]
`,
  'users.yaml': [1, 2, 3]
    .map(
      (n) => `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: ws-${n}, provider: books }
spec:
  id: WS_SYNC_${n}
  userName: Sync ${n}
  email: ws-sync-${n}@example.com
  contact: { firstName: Sync, lastName: User ${n}, email: ws-sync-${n}@example.com }
  userType: business
  adminPrivileges: off
  status: active
  roles: [{ ref: sync }]
`,
    )
    .join('---\n'),
};

interface PlanJson {
  changes: Array<{ address: string; action: string }>;
  drift: unknown[];
  diagnostics: unknown[];
  stats: { apiCalls: number; refreshMode?: string };
}

async function planJson(dir: string, mode: 'bulk' | 'per-object'): Promise<PlanJson> {
  const r = await roster(['plan', '--format', 'json', '--refresh-mode', mode], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as PlanJson;
}

describe('roster plan --refresh-mode', () => {
  it('per-object plans what bulk plans, with more API calls, before and after a change outside roster', async () => {
    const dir = project(files);
    const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.code, apply.stderr).toBe(0);

    const bulk = await planJson(dir, 'bulk');
    const perObject = await planJson(dir, 'per-object');
    expect(bulk.changes).toEqual([]);
    expect(perObject.changes).toEqual([]);
    expect(perObject.diagnostics).toEqual(bulk.diagnostics);
    expect([bulk.stats.refreshMode, perObject.stats.refreshMode]).toEqual(['bulk', 'per-object']);
    expect(perObject.stats.apiCalls).toBeGreaterThan(bulk.stats.apiCalls);

    // Someone makes a user a full admin behind roster's back: both modes see it and plan the same.
    const server = await serveSandbox(dir, 'books');
    try {
      await new IntacctApi(server.url).patchUser('WS_SYNC_2', { adminPrivileges: 'full' });
    } finally {
      await server.stop();
    }
    const bulkAfter = await planJson(dir, 'bulk');
    const perObjectAfter = await planJson(dir, 'per-object');
    expect(bulkAfter.changes.map((c) => [c.address, c.action])).toEqual([
      ['books/ServiceAccount/ws-2', 'update'],
    ]);
    expect(perObjectAfter.changes).toEqual(bulkAfter.changes);
    expect(perObjectAfter.drift).toEqual(bulkAfter.drift);
    expect(perObjectAfter.drift).toHaveLength(1);
    console.log(
      `refresh-mode API calls (3 users, 1 role): bulk ${bulk.stats.apiCalls}, per-object ${perObject.stats.apiCalls}; after the change: bulk ${bulkAfter.stats.apiCalls}, per-object ${perObjectAfter.stats.apiCalls}`,
    );
  });

  it('refuses a --refresh-concurrency out of 1–64 with one message', async () => {
    const dir = project({ 'provider.yaml': files['provider.yaml'] });
    for (const bad of ['0', '65', '2.5', 'ten']) {
      const r = await roster(['plan', '--refresh-concurrency', bad], { cwd: dir });
      expect(r.code, bad).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toBe(
        `error: --refresh-concurrency must be an integer from 1 to 64, got ${bad}`,
      );
    }
  });
});
