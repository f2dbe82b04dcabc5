import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputValidator, schemaErrors } from '../packages/core/src/render/output-schemas.testing.js';
import { copyExample, editFile, lineOfIn, roster, serveSandbox } from './helpers.js';

// examples/company applied, then changed behind roster's back through the Intacct sandbox's admin
// console: a web services user added by hand (HAND_USER_000001), and bi-export removed from the
// manifests and applied (Intacct deactivates a removed user, and roster forgets it).

const HAND = 'intacct-sandbox/ServiceAccount/HAND_USER_000001';
const REMOVED = 'intacct-sandbox/ServiceAccount/WS_BI_EXPORT';

interface InventoryJson {
  staleAfterDays: number;
  accounts: Array<{
    address: string;
    status: string;
    owner: string | null;
    drift: string;
    roles: string[];
    permissions: Array<{ name: string; via: string[] }>;
    lastUsed: { at: string | null; source: string | null; unknownReason?: string };
  }>;
  findings: Array<{ rule: string; severity: string; address: string; file?: string; line?: number }>;
  conflicts: unknown[];
}

async function changedCompany(): Promise<string> {
  const dir = copyExample('company');
  const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
  expect(apply.code, apply.stdout + apply.stderr).toBe(0);
  const server = await serveSandbox(dir, 'intacct-sandbox');
  try {
    const seed = await fetch(`${server.url}/__sandbox/seed`, {
      method: 'POST',
      headers: server.headers,
      body: JSON.stringify({ users: 1, prefix: 'HAND' }),
    });
    expect(seed.status).toBe(200);
  } finally {
    await server.stop();
  }
  const accounts = path.join(dir, 'intacct-accounts.yaml');
  editFile(
    accounts,
    /---\napiVersion: roster\/v1\nkind: ServiceAccount\nmetadata:\n {2}name: bi-export[\s\S]*$/,
    '',
  );
  const removed = await roster(['apply', '--auto-approve'], { cwd: dir });
  expect(removed.code, removed.stdout + removed.stderr).toBe(0);
  return dir;
}

describe('roster inventory on the company example', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await changedCompany();
  }, 180_000);

  it('lists managed, unmanaged and deactivated accounts; the unmanaged one has no owner (JSON, valid)', async () => {
    const r = await roster(['inventory', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as InventoryJson;
    const validate = outputValidator('inventory');
    expect(validate(report), schemaErrors(validate)).toBe(true);
    const byAddress = new Map(report.accounts.map((a) => [a.address, a]));
    expect(byAddress.get(HAND)).toMatchObject({ status: 'unmanaged', owner: null, drift: 'unmanaged' });
    expect(byAddress.get(REMOVED)).toMatchObject({ status: 'deactivated', permissions: [] });
    expect(byAddress.get('intacct-sandbox/ServiceAccount/invoice-portal')).toMatchObject({
      status: 'managed',
      owner: 'finance-it',
      drift: 'in-sync',
      roles: ['AP Sync', 'Integrations'],
    });
    // A Getint connection (Getint cannot be listed: known from state) reaches the Autotask API
    // user's permissions through the account it signs in as.
    const alerts = byAddress.get('getint/Connector/autotask-alerts')!;
    expect(alerts.status).toBe('managed');
    expect(alerts.permissions.length).toBeGreaterThan(0);
    expect(alerts.permissions.every((p) => p.name.startsWith('autotask-prod: '))).toBe(true);
    expect(report.findings.filter((f) => f.rule === 'inventory.no-owner').map((f) => f.address)).toEqual([
      HAND,
    ]);
    expect(report.staleAfterDays).toBe(90);
  });

  it('prints a table, why each last use is unknown, and the no-owner finding', async () => {
    const r = await roster(['inventory'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.find((l) => l.startsWith(HAND))).toMatch(/^\S+\s+unmanaged\s+-\s/);
    expect(lines.find((l) => l.startsWith(REMOVED))).toMatch(/^\S+\s+deactivated\s/);
    expect(r.stdout).toContain(
      `  ${HAND}: the system records no last use; roster test signs in only as accounts the manifests declare`,
    );
    expect(r.stdout).toContain(
      `warning[inventory.no-owner]: ${HAND} is in no manifest, so nobody owns it: declare it with labels.owner, or remove it from intacct`,
    );
    expect(lines.at(-1)).toMatch(
      /^\d+ accounts: \d+ managed, 1 unmanaged, 1 deactivated\. 1 finding, 0 conflicts\.$/,
    );
  });

  it('writes CSV a parser reads: one row per account, the header documented', async () => {
    const [csv, json] = await Promise.all([
      roster(['inventory', '--format', 'csv'], { cwd: dir }),
      roster(['inventory', '--format', 'json'], { cwd: dir }),
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    const report = JSON.parse(json.stdout) as InventoryJson;
    expect(rows.map((row) => row.address)).toEqual(report.accounts.map((a) => a.address));
    const hand = rows.find((row) => row.address === HAND)!;
    expect(hand).toMatchObject({ status: 'unmanaged', owner: '', findings: 'inventory.no-owner' });
    const portal = rows.find((row) => row.address === 'intacct-sandbox/ServiceAccount/invoice-portal')!;
    expect(portal.roles).toBe('AP Sync; Integrations');
    expect(portal.permissions?.split('; ').length).toBeGreaterThan(1);
  });

  it('a Policy makes no-owner an error (exit 2), excepts an address with its reason, and refuses a wrong option at its line', async () => {
    const policy = path.join(dir, 'inventory-policy.yaml');
    writeFileSync(
      policy,
      'apiVersion: roster/v1\nkind: Policy\nmetadata: { name: inventory }\nspec:\n  rules:\n    inventory.no-owner: { severity: error }\n',
    );
    try {
      const strict = await roster(['inventory'], { cwd: dir });
      expect(strict.code, strict.stderr).toBe(2);
      expect(strict.stdout).toContain(`error[inventory.no-owner]: ${HAND} is in no manifest`);

      writeFileSync(
        policy,
        `apiVersion: roster/v1\nkind: Policy\nmetadata: { name: inventory }\nspec:\n  rules:\n    inventory.no-owner:\n      severity: error\n      exceptions: [{ address: "intacct-sandbox/ServiceAccount/HAND_*", reason: "load-test users, removed by INC-1" }]\n`,
      );
      const excepted = await roster(['inventory'], { cwd: dir });
      expect(excepted.code, excepted.stderr).toBe(0);
      expect(excepted.stdout).toContain(
        `info[inventory.no-owner]: ${HAND} is in no manifest, so nobody owns it: declare it with labels.owner, or remove it from intacct (excepted at inventory-policy.yaml:8: load-test users, removed by INC-1)`,
      );

      writeFileSync(
        policy,
        'apiVersion: roster/v1\nkind: Policy\nmetadata: { name: inventory }\nspec:\n  rules:\n    inventory.stale:\n      options: { days: soon }\n',
      );
      const wrong = await roster(['inventory'], { cwd: dir });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(
        new RegExp(`^inventory-policy\\.yaml:${lineOfIn(policy, 'days: soon')}:\\d+: error\\[`, 'm'),
      );
      expect(wrong.stdout).toBe('');
    } finally {
      rmSync(policy);
    }
  });

  it('a stale account: its last roster test sign-in is older than the stale days (a finding at its line)', async () => {
    const PORTAL = 'intacct-sandbox/ServiceAccount/invoice-portal';
    const ALERTS = 'autotask-prod/ServiceAccount/office-protect';
    // ROSTER_TEST_SIGNED_IN_AT stands for the clock of that sign-in: years ago, whatever today is.
    const old = await roster(['test', PORTAL], {
      cwd: dir,
      env: { ROSTER_TEST_SIGNED_IN_AT: '2020-01-01T00:00:00.000Z' },
    });
    expect(old.code, old.stdout + old.stderr).toBe(0);
    const now = await roster(['test', ALERTS], { cwd: dir });
    expect(now.code, now.stdout + now.stderr).toBe(0);

    const r = await roster(['inventory', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as InventoryJson;
    const byAddress = new Map(report.accounts.map((a) => [a.address, a]));
    expect(byAddress.get(PORTAL)?.lastUsed).toEqual({
      at: '2020-01-01T00:00:00.000Z',
      source: 'roster-test',
      field: null,
    });
    expect(byAddress.get(ALERTS)?.lastUsed.source).toBe('roster-test');
    const line = lineOfIn(path.join(dir, 'intacct-accounts.yaml'), 'name: invoice-portal');
    expect(report.findings.filter((f) => f.rule === 'inventory.stale')).toEqual([
      expect.objectContaining({ severity: 'warning', address: PORTAL, file: 'intacct-accounts.yaml', line }),
    ]);

    const text = await roster(['inventory'], { cwd: dir });
    expect(text.stdout).toMatch(
      new RegExp(`^${PORTAL}\\s.*\\s2020-01-01 \\(roster test\\)\\s+in-sync$`, 'm'),
    );
    expect(text.stdout).toMatch(
      new RegExp(
        `^intacct-accounts\\.yaml:${line}:9: warning\\[inventory\\.stale\\]: ${PORTAL} was last used \\d+ days ago \\(2020-01-01, the last roster test sign-in\\), more than 90: `,
        'm',
      ),
    );
    // The connection that signs in as the Autotask API user reaches its permissions, with the path.
    const alerts = byAddress.get('getint/Connector/autotask-alerts')!;
    expect(alerts.permissions[0]?.via).toEqual([ALERTS, 'autotask-prod/SecurityLevel/alerts-api']);

    // --stale-days overrides the days for one run: with very many, nothing is stale.
    const lenient = await roster(['inventory', '--format', 'json', '--stale-days', '1000000'], { cwd: dir });
    const relaxed = JSON.parse(lenient.stdout) as InventoryJson;
    expect(relaxed.staleAfterDays).toBe(1000000);
    expect(relaxed.findings.filter((f) => f.rule === 'inventory.stale')).toEqual([]);
  });

  it('refuses --stale-days that is not a whole number of days', async () => {
    const r = await roster(['inventory', '--stale-days', '0'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--stale-days must be a whole number of days, 1 or more, got 0');
  });
});
