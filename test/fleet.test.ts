import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { record } from './e2e-record.js';
import { cliEnv, copyExample, project, readJson, roster, rosterBin, serveSandbox } from './helpers.js';
import { IntacctApi } from './intacct-api.js';

// Small fleets on Intacct sandboxes (every operation by API, no manual step): each tenant's sandbox
// is its own simulated company under .roster/tenants/<name>/sandbox/.

const FLEET =
  'apiVersion: roster/v1\nkind: Fleet\nmetadata: { name: test-fleet }\nspec: { concurrency: 2 }\n';
const PROVIDER = `apiVersion: roster/v1
kind: Provider
metadata: { name: intacct }
spec: { type: intacct, endpoint: sandbox, companyId: "\${tenant.name}-co" }
`;
const ROLE = `apiVersion: roster/v1
kind: SecurityLevel
metadata: { name: billing-sync, provider: intacct }
spec:
  name: Billing Sync
  permissions: { accountsReceivable/invoices: [list, readonly] }
`;
const USER = `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: billing, provider: intacct }
spec:
  id: WS_BILLING
  userName: Billing \${tenant.name}
  email: ws-billing@\${tenant.domain}
  contact: { firstName: Billing, lastName: Sync, email: "ws-billing@\${tenant.domain}" }
  userType: business
  adminPrivileges: off
  status: active
  roles: [{ ref: billing-sync }]
`;
const GOLD_ONLY = `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: reports, provider: intacct, tenants: { tier: gold } }
spec:
  id: WS_REPORTS
  userName: Reports
  email: ws-reports@\${tenant.domain}
  contact: { firstName: Reports, lastName: Gold, email: "ws-reports@\${tenant.domain}" }
  userType: business
  adminPrivileges: off
  status: active
`;
const tenantYaml = (name: string, tier = 'silver') =>
  `apiVersion: roster/v1\nkind: Tenant\nmetadata: { name: ${name}, labels: { tier: ${tier} } }\nspec:\n  variables: { domain: ${name}.example }\n`;

/** A fleet directory: the baseline above and `tenants` (name → tier), plus extra files. */
function fleet(tenants: Record<string, string>, extra: Record<string, string> = {}): string {
  const files: Record<string, string> = {
    'fleet.yaml': FLEET,
    'baseline/provider.yaml': PROVIDER,
    'baseline/access.yaml': `${ROLE}---\n${USER}---\n${GOLD_ONLY}`,
    ...extra,
  };
  for (const [name, tier] of Object.entries(tenants))
    files[`tenants/${name}/tenant.yaml`] = tenantYaml(name, tier);
  return project(files);
}

interface FleetJson {
  totals: Record<string, number>;
  tenants: Array<{
    tenant: string;
    outcome: string;
    exitCode: number;
    changes: number;
    alignment?: { applicable: number; aligned: number; percent: number | null };
    deviations: Array<{ address: string; expired: boolean; line: number }>;
  }>;
  notRun: Array<{ tenant: string; reason: string }>;
  driftGroups: Array<{ kind: string; resource: string; attribute: string; tenants: string[] }>;
  resumed?: boolean;
}
const json = (stdout: string) => JSON.parse(stdout) as FleetJson;
const byTenant = (doc: FleetJson) => Object.fromEntries(doc.tenants.map((t) => [t.tenant, t]));

async function apply(dir: string, args: string[] = []) {
  const r = await roster(['fleet', 'apply', '-f', dir, '--auto-approve', '--format', 'json', ...args], {
    cwd: dir,
  });
  return { ...r, doc: r.stdout ? json(r.stdout) : undefined };
}

const stateOf = (dir: string, tenant: string) =>
  readJson<{ resources: Record<string, { attributes: Record<string, unknown> }> }>(
    path.join(dir, '.roster', 'tenants', tenant, 'state.json'),
  );

describe('roster fleet', () => {
  it('fills ${tenant.…} per tenant, skips label-excluded baseline resources, and keeps each tenant in its own state', async () => {
    const dir = fleet({ acme: 'gold', globex: 'silver' });
    const r = await apply(dir);
    expect(r.code, r.stderr).toBe(0);
    const acme = stateOf(dir, 'acme').resources;
    const globex = stateOf(dir, 'globex').resources;
    expect(acme['intacct/ServiceAccount/billing']?.attributes.email).toBe('ws-billing@acme.example');
    expect(acme['intacct/ServiceAccount/billing']?.attributes.userName).toBe('Billing acme');
    expect(globex['intacct/ServiceAccount/billing']?.attributes.email).toBe('ws-billing@globex.example');
    // reports is for tier: gold only: globex (silver) never gets it, and it is no deviation.
    expect(Object.keys(acme).sort()).toEqual([
      'intacct/SecurityLevel/billing-sync',
      'intacct/ServiceAccount/billing',
      'intacct/ServiceAccount/reports',
    ]);
    expect(Object.keys(globex)).not.toContain('intacct/ServiceAccount/reports');
    expect(byTenant(r.doc!).globex).toMatchObject({
      changes: 2,
      deviations: [],
      alignment: { applicable: 2, aligned: 2, percent: 100 },
    });

    // --tenants label=value selects by the Tenant's labels.
    const gold = await roster(['fleet', 'plan', '-f', dir, '--tenants', 'tier=gold', '--format', 'json'], {
      cwd: dir,
    });
    expect(gold.code, gold.stderr).toBe(0);
    expect(json(gold.stdout).tenants.map((t) => [t.tenant, t.changes])).toEqual([['acme', 0]]);
  });

  it('refuses a deviation without a reason at its line, and a placeholder in credentials at its column', async () => {
    const dir = fleet(
      { acme: 'gold' },
      {
        'tenants/acme/deviation.yaml':
          'apiVersion: roster/v1\nkind: ServiceAccount\nmetadata: { name: billing, provider: intacct }\ndeviation:\n  owner: finance@acme.example\n  expires: "2099-01-01"\nspec: { status: inactive }\n',
      },
    );
    const r = await roster(['fleet', 'validate', '-f', dir], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'tenants/acme/deviation.yaml:4:1: error[fleet.deviation]: [acme] the deviation has no reason: every deviation says why (reason), who owns it (owner) and until when (expires, YYYY-MM-DD)',
    );
    const creds = fleet({ acme: 'gold' });
    const file = path.join(creds, 'baseline/provider.yaml');
    const text = readFileSync(file, 'utf8').replace(
      'companyId: "${tenant.name}-co" }',
      'companyId: x, credentials: { userId: "${tenant.name}" } }',
    );
    writeFileSync(file, text);
    const c = await roster(['fleet', 'validate', '-f', creds], { cwd: creds });
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(
      /baseline\/provider\.yaml:4:\d+: error\[fleet\.placeholder\]: \[acme\] \$\{tenant\.name\} in a credentials block/,
    );
  });

  it('reports an expired deviation (severity from fleet.yaml) and counts deviations out of alignment', async () => {
    const deviation = (expires: string) =>
      `apiVersion: roster/v1\nkind: ServiceAccount\nmetadata: { name: billing }\ndeviation: { reason: billing moves to another ERP, owner: finance@globex.example, expires: "${expires}" }\nexclude: true\n`;
    const dir = fleet(
      { acme: 'gold', globex: 'silver' },
      {
        'tenants/globex/deviation.yaml': deviation('2020-01-31'),
        // Every applicable baseline resource excluded: 0 %, not n/a (they apply, the tenant deviates).
        'tenants/empty/tenant.yaml': tenantYaml('empty', 'silver'),
        'tenants/empty/deviations.yaml': `${deviation('2099-01-01')}---\n${deviation('2099-01-01').replace('ServiceAccount\nmetadata: { name: billing }', 'SecurityLevel\nmetadata: { name: billing-sync }')}`,
      },
    );
    const v = await roster(['fleet', 'validate', '-f', dir], { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toContain(
      'tenants/globex/deviation.yaml:4:92: warning[fleet.deviation-expired]: [globex] the deviation of tenant globex from ServiceAccount billing expired on 2020-01-31 (owner: finance@globex.example); it stays in force: renew it or remove it',
    );
    const r = await apply(dir);
    expect(r.code, r.stderr).toBe(0);
    const t = byTenant(r.doc!);
    // acme: 3 of 3 (gold); globex: billing excluded, 1 of 2 aligned; empty: both excluded.
    expect(t.acme?.alignment).toEqual({ applicable: 3, aligned: 3, percent: 100 });
    expect(t.globex?.alignment).toEqual({ applicable: 2, aligned: 1, percent: 50 });
    expect(t.globex?.deviations).toMatchObject([
      { address: 'intacct/ServiceAccount/billing', expired: true, line: 4 },
    ]);
    expect(t.empty?.alignment).toEqual({ applicable: 2, aligned: 0, percent: 0 });
    expect(Object.keys(stateOf(dir, 'globex').resources)).toEqual(['intacct/SecurityLevel/billing-sync']);
    const text = await roster(['fleet', 'status', '-f', dir], { cwd: dir });
    expect(text.stdout).toMatch(/^globex +changes +1 +0 +0 +0 +1 \(1 expired\) +50 %$/m);

    // error severity blocks the tenant.
    const strict = path.join(dir, 'fleet.yaml');
    writeFileSync(
      strict,
      FLEET.replace('{ concurrency: 2 }', '{ concurrency: 2, deviations: { expiredSeverity: error } }'),
    );
    const blocked = await roster(['fleet', 'validate', '-f', dir, '--tenants', 'globex'], { cwd: dir });
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain('error[fleet.deviation-expired]');
  });

  it('shows n/a alignment for a tenant no baseline resource applies to', async () => {
    const dir = project({
      'fleet.yaml': FLEET,
      'baseline/provider.yaml': PROVIDER,
      'baseline/gold.yaml': `${GOLD_ONLY}`,
      'tenants/tiny/tenant.yaml': tenantYaml('tiny', 'silver'),
    });
    const r = await roster(['fleet', 'plan', '-f', dir, '--allow-empty-state'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('tiny    ok      0        0       0         0      0           n/a');
  });

  it('groups drift in 3 of 5 tenants into one row listing them, and exits 2', async () => {
    const names = ['t1', 't2', 't3', 't4', 't5'];
    const dir = fleet(Object.fromEntries(names.map((n) => [n, 'silver'])));
    const r = await apply(dir);
    expect(r.code, r.stderr).toBe(0);
    for (const t of ['t1', 't3', 't4']) {
      // Behind roster's back, through each tenant's own sandbox (its company t?-co).
      const scratch = project({ 'p.yaml': PROVIDER.replace('"${tenant.name}-co"', `${t}-co`) });
      const server = await serveSandbox(scratch, 'intacct', [
        '--state-dir',
        path.join(dir, '.roster', 'tenants', t),
      ]);
      try {
        const status = await new IntacctApi(server.url, `admin@${t}-co`).patchUser('WS_BILLING', {
          adminPrivileges: 'full',
        });
        expect(status).toBeLessThan(300);
      } finally {
        await server.stop();
      }
    }
    const d = await roster(['fleet', 'drift', '-f', dir], { cwd: dir });
    expect(d.code, d.stderr).toBe(2);
    expect(d.stdout).toContain(
      'Drift by cause:\n  ServiceAccount billing adminPrivileges: "off" → "full"  (3 tenants: t1, t3, t4)',
    );
    const j = await roster(['fleet', 'drift', '-f', dir, '--format', 'json'], { cwd: dir });
    expect(json(j.stdout).driftGroups).toMatchObject([
      {
        kind: 'ServiceAccount',
        resource: 'billing',
        attribute: '/adminPrivileges',
        tenants: ['t1', 't3', 't4'],
      },
    ]);
    expect(byTenant(json(j.stdout)).t1?.alignment?.percent).toBe(50);
    const md = await roster(['fleet', 'drift', '-f', dir, '--format', 'markdown'], { cwd: dir });
    expect(md.stdout).toContain('| ServiceAccount billing adminPrivileges: "off" → "full" | 3: t1, t3, t4 |');
    expect(md.stdout.indexOf('#### Red flags')).toBeLessThan(md.stdout.indexOf('#### Tenants'));
  });

  it('stops after a failed canary and leaves the other tenants alone', async () => {
    const dir = fleet(
      { alpha: 'silver', beta: 'silver', gamma: 'silver' },
      {
        'fleet.yaml': FLEET.replace('{ concurrency: 2 }', '{ concurrency: 2, canary: [beta] }'),
        // beta's own Autotask API user names a vendor its sandbox does not list: refused at apply.
        'tenants/beta/autotask.yaml': `apiVersion: roster/v1
kind: Provider
metadata: { name: autotask }
spec: { type: autotask, endpoint: sandbox }
---
apiVersion: roster/v1
kind: SecurityLevel
metadata: { name: sync-api, provider: autotask }
spec:
  name: Sync (API)
  copiedFrom: API User (system) Can't Read Costs (API-only)
  permissions: { CRM › Account & Contact Access: All }
  active: true
---
apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: sync, provider: autotask }
spec:
  firstName: Sync
  lastName: Beta
  email: sync@beta.example
  securityLevel: { ref: sync-api }
  integrationVendor: No Such Vendor
  active: true
  locked: false
  credentials: { secret: "\${file:secrets/sync.secret}" }
`,
      },
    );
    const r = await apply(dir, ['--canary', '1', '--sandbox-operator']);
    expect(r.code).toBe(1);
    expect(r.doc?.tenants.map((t) => [t.tenant, t.outcome, t.exitCode])).toEqual([['beta', 'failed', 1]]);
    expect(r.stderr).toContain('"No Such Vendor" is not in the Integration Vendor list');
    expect(r.doc?.notRun).toEqual([
      { tenant: 'alpha', reason: 'canary-failed' },
      { tenant: 'gamma', reason: 'canary-failed' },
    ]);
  });

  it('resumes an interrupted fleet apply where it stopped', async () => {
    const dir = fleet({ a1: 'silver', a2: 'silver', a3: 'silver' });
    const args = ['fleet', 'apply', '-f', dir, '--auto-approve', '--concurrency', '1'];
    const child = spawn(process.execPath, [rosterBin, ...args], {
      cwd: dir,
      env: cliEnv({ ROSTER_SANDBOX_LATENCY_MS: '60' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
      // Interrupted as soon as the first tenant is done.
      if (stderr.includes('fleet: a1 changes') && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    record({ type: 'run', label: `roster ${args.join(' ')} (SIGINT)`, cwd: dir, env: {}, stdout, stderr });
    expect(code, stderr).toBe(130);
    const again = await apply(dir, ['--concurrency', '1']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.doc?.resumed).toBe(true);
    expect(again.doc?.notRun).toEqual([{ tenant: 'a1', reason: 'already-applied' }]);
    expect(again.doc?.tenants.map((t) => t.tenant)).toEqual(['a2', 'a3']);
    for (const t of ['a1', 'a2', 'a3']) expect(Object.keys(stateOf(dir, t).resources)).toHaveLength(2);
    // Finished: the next apply starts a new run over every tenant (nothing to do).
    const next = await apply(dir);
    expect(next.doc?.resumed).toBe(false);
    expect(next.doc?.tenants.map((t) => [t.tenant, t.changes])).toEqual([
      ['a1', 0],
      ['a2', 0],
      ['a3', 0],
    ]);
  });
});

describe('roster fleet refusals', () => {
  it('refuses a directory that is no fleet in one line, an apply without --auto-approve, a selector matching nothing', async () => {
    const dir = project({ 'p.yaml': PROVIDER });
    const r = await roster(['fleet', 'validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'fleet.yaml: error[fleet.document]: no fleet.yaml in .: a fleet directory holds fleet.yaml (kind: Fleet), baseline/ and tenants/<name>/tenant.yaml (roster fleet --help)',
    );
    const f = fleet({ acme: 'gold' });
    const apply = await roster(['fleet', 'apply', '-f', f], { cwd: f });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('review them with roster fleet plan, then pass --auto-approve');
    const none = await roster(['fleet', 'plan', '-f', f, '--tenants', 'tier=bronze,zz-*'], { cwd: f });
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toBe('error: --tenants tier=bronze,zz-* selects no tenant of 1');
    const help = await roster(['fleet', '--help'], { cwd: f });
    expect(help.stdout).toContain('Examples:');
  });
});

describe('examples/fleet', () => {
  it('validates, applies canary first and reports no drift, with no environment variables', async () => {
    const dir = copyExample('fleet');
    const v = await roster(['fleet', 'validate', '-f', '.'], { cwd: dir });
    expect(v.code, v.stderr).toBe(0);
    const a = await roster(
      ['fleet', 'apply', '--auto-approve', '--sandbox-operator', '--canary', '1', '--format', 'json'],
      {
        cwd: dir,
      },
    );
    expect(a.code, a.stderr).toBe(0);
    const doc = json(a.stdout);
    expect(doc.tenants.map((t) => [t.tenant, t.changes, t.alignment?.percent])).toEqual([
      ['acme', 6, 100],
      ['globex', 6, 83],
      ['initech', 4, 100],
    ]);
    const d = await roster(['fleet', 'drift'], { cwd: dir });
    expect(d.code, d.stderr).toBe(0);
  });
});
