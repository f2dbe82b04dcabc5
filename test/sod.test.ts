import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, editFile, lineOfIn, roster, serveSandbox } from './helpers.js';
import { IntacctApi } from './intacct-api.js';

// The finance SoD pack on a copy of examples/company (its sandboxes): a conflict seeded in Intacct,
// and the same one reached by a Getint connection signing in as that Intacct user. The plan refuses
// both at their lines; once accepted as warnings and applied, `roster sod` reports them from the
// refreshed systems.

const ACCOUNT = 'intacct-sandbox/ServiceAccount/invoice-portal';
const LINK = 'getint/Connector/intacct-ap';

const connection = `---
apiVersion: roster/v1
kind: Connector
metadata:
  name: intacct-ap
  provider: getint
  labels: { owner: finance-it, purpose: ap-ticket-sync }
spec:
  name: Intacct (AP)
  app: other
  url: https://api.intacct.com
  account: { ref: ${ACCOUNT} }
`;

interface SodJson {
  formatVersion: number;
  packs: Array<{ id: string; version: number; rules: number; severity: string }>;
  conflicts: Array<{
    rule: string;
    address: string;
    via?: string;
    severity: string;
    file?: string;
    line?: number;
    held: Array<{ pattern: string; permissions: string[] }>;
    excepted?: { reason: string };
  }>;
}

describe('segregation of duties (pack finance)', () => {
  it('blocks a plan giving conflicting rights, in Intacct and through a Getint connection; roster sod lists them', async () => {
    const dir = copyExample('company');
    const access = path.join(dir, 'intacct-access.yaml');
    // ap-sync (the invoice portal's role) may now approve the bills it enters.
    editFile(
      access,
      'accountsPayable/vendors: [list, readonly]',
      'accountsPayable/vendors: [list, readonly]\n    accountsPayable/approveBills: [list, readonly, approvalLevel1]',
    );
    appendFileSync(path.join(dir, 'getint-connections.yaml'), connection);

    const plan = await roster(['plan', '--allow-empty-state'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(1);
    const roleLine = lineOfIn(path.join(dir, 'intacct-accounts.yaml'), 'roles: [{ ref: ap-sync }]');
    const linkLine = lineOfIn(path.join(dir, 'getint-connections.yaml'), 'name: intacct-ap');
    const errors = plan.stderr.split('\n').filter((l) => l.includes('error[policy/sod.finance]'));
    expect(errors).toEqual([
      `getint-connections.yaml:${linkLine}:9: error[policy/sod.finance]: ${LINK} holds accountsPayable/bills: add and accountsPayable/approveBills: approvalLevel1 together in intacct-sandbox, through the account it signs in as: one account could enter a bill and approve it for payment, with no second look (SoD finance v1, ap-bill-entry-approval)`,
      `intacct-accounts.yaml:${roleLine}:11: error[policy/sod.finance]: ${ACCOUNT} holds accountsPayable/bills: add and accountsPayable/approveBills: approvalLevel1 together: one account could enter a bill and approve it for payment, with no second look (SoD finance v1, ap-bill-entry-approval)`,
    ]);

    // Accepted as warnings for now (a Policy sets the pack's severity like any rule's): it applies.
    writeFileSync(
      path.join(dir, 'policy.yaml'),
      'apiVersion: roster/v1\nkind: Policy\nmetadata: { name: sod }\nspec:\n  rules:\n    sod.finance: { severity: warning }\n',
    );
    const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);

    // What the systems hold now: both conflicts, exit 2.
    const text = await roster(['sod'], { cwd: dir });
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout.split('\n').filter((l) => l.includes('[sod.finance/'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^getint-connections\\.yaml:${linkLine}:9: warning\\[sod\\.finance/ap-bill-entry-approval\\]: ${LINK} holds `,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^intacct-accounts\\.yaml:${roleLine}:11: warning\\[sod\\.finance/ap-bill-entry-approval\\]: ${ACCOUNT} holds `,
        ),
      ),
    ]);
    expect(text.stdout).toContain('SoD packs: finance v1 (8 rules, warning)');
    expect(text.stdout).toContain('2 conflicts.');

    const json = await roster(['sod', '--format', 'json'], { cwd: dir });
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout) as SodJson;
    expect(report.packs).toEqual([{ id: 'finance', version: 1, rules: 8, severity: 'warning' }]);
    expect(
      report.conflicts.map((c) => [c.address, c.via ?? null, c.rule, c.held.map((h) => h.permissions)]),
    ).toEqual([
      [
        LINK,
        'intacct-sandbox',
        'ap-bill-entry-approval',
        [['accountsPayable/bills: add'], ['accountsPayable/approveBills: approvalLevel1']],
      ],
      [
        ACCOUNT,
        null,
        'ap-bill-entry-approval',
        [['accountsPayable/bills: add'], ['accountsPayable/approveBills: approvalLevel1']],
      ],
    ]);

    // Excepted with a reason: listed, no longer counted; exit 0 once nothing is left.
    appendFileSync(
      path.join(dir, 'policy.yaml'),
      `  exceptions:\n    - { rule: sod.finance, address: "${LINK}", reason: read-only use until the AP split (FIN-12) }\n    - { rule: sod.finance, address: "${ACCOUNT}", reason: approvals move to a second user in FIN-12 }\n`,
    );
    const excepted = await roster(['sod'], { cwd: dir });
    expect(excepted.code, excepted.stdout + excepted.stderr).toBe(0);
    expect(excepted.stdout).toContain(`info[sod.finance/ap-bill-entry-approval]: ${LINK} holds`);
    expect(excepted.stdout).toContain(
      '(excepted at policy.yaml:8: read-only use until the AP split (FIN-12))',
    );
    expect(excepted.stdout).toContain('0 conflicts (and 2 excepted).');
  });

  it('reports no conflict on the company example as it is (exit 0)', async () => {
    const dir = copyExample('company');
    const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const r = await roster(['sod'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('SoD packs: finance v1 (8 rules, error)\n\nNo conflicts.\n');
  });

  it('roster sod reads the systems: a role granted by hand in Intacct is a conflict before any plan', async () => {
    const dir = copyExample('governance');
    const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect((await roster(['sod'], { cwd: dir })).code).toBe(0);

    // Behind roster's back: the invoice portal's user also gets the approval role.
    const server = await serveSandbox(dir, 'intacct-sandbox');
    try {
      await new IntacctApi(server.url, 'admin@governance-co').patchUser('WS_INVOICE_PORTAL', {
        roles: [{ id: 'AP Entry' }, { id: 'AP Approve' }],
      });
    } finally {
      await server.stop();
    }
    const json = await roster(['sod', '--format', 'json'], { cwd: dir });
    expect(json.code, json.stderr).toBe(2);
    expect(
      (JSON.parse(json.stdout) as SodJson).conflicts.map((c) => [c.address, c.rule, c.severity, c.file]),
    ).toEqual([
      ['getint/Connector/intacct-ap', 'ap-bill-entry-approval', 'error', 'connections.yaml'],
      [ACCOUNT, 'ap-bill-entry-approval', 'error', 'accounts.yaml'],
    ]);
  });
});
