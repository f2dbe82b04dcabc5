import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, lineOfIn, roster } from './helpers.js';

// Custom policy rules in CEL on a copy of examples/company: one that blocks the plan at the account
// it judges (naming the rule's own line), excepted with a reason; and expressions that do not parse
// or type-check, refused by validate at the token.

const ACCOUNT = 'intacct-sandbox/ServiceAccount/invoice-portal';

const policy = (rules: string) =>
  `apiVersion: roster/v1\nkind: Policy\nmetadata: { name: custom }\nspec:\n  rules:\n${rules}`;

interface PlanJson {
  findings: Array<{
    policy: string;
    severity: string;
    address: string;
    message: string;
    file?: string;
    line?: number;
    excepted?: { reason: string };
  }>;
}

describe('custom policy rules in CEL', () => {
  it('block a plan at the account they judge, and give way to an exception with its reason', async () => {
    const dir = copyExample('company');
    const file = path.join(dir, 'policies.yaml');
    writeFileSync(
      file,
      policy(`    no-bill-entry:
      expression: |
        account.system != "intacct" ||
          !account.permissions.after.exists(p, p == "accountsPayable/bills: add")
      message: bills are entered by the AP team, not by an integration
    owners:
      severity: warning
      expression: account.owner != "" && account.credentialAgeDays == null
      message: every account has an owner
`),
    );
    const plan = await roster(['plan', '--allow-empty-state'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(1);
    const nameLine = lineOfIn(path.join(dir, 'intacct-accounts.yaml'), 'name: invoice-portal');
    expect(plan.stderr.split('\n').filter((l) => l.includes('[policy/no-bill-entry]'))).toEqual([
      `intacct-accounts.yaml:${nameLine}:9: error[policy/no-bill-entry]: ${ACCOUNT}: bills are entered by the AP team, not by an integration (rule at policies.yaml:7)`,
    ]);
    // Every account of the example has an owner and no credentials issued yet: the warning rule holds.
    expect(plan.stderr).not.toContain('[policy/owners]');

    const json = await roster(['plan', '--format', 'json', '--allow-empty-state'], { cwd: dir });
    const findings = (JSON.parse(json.stdout) as PlanJson).findings.filter(
      (f) => f.policy === 'no-bill-entry',
    );
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        address: ACCOUNT,
        file: 'intacct-accounts.yaml',
        line: nameLine,
      }),
    ]);

    writeFileSync(
      file,
      `${policy(`    no-bill-entry:
      expression: 'account.system != "intacct" || !("accountsPayable/bills: add" in account.permissions.after)'
      message: bills are entered by the AP team, not by an integration
      exceptions:
        - { address: "${ACCOUNT}", reason: the invoice portal enters supplier bills until 2027 (AP-7) }
`)}`,
    );
    const excepted = await roster(['plan', '--format', 'json', '--allow-empty-state'], { cwd: dir });
    expect(excepted.code, excepted.stderr).toBe(0);
    expect(
      (JSON.parse(excepted.stdout) as PlanJson).findings.filter((f) => f.policy === 'no-bill-entry'),
    ).toEqual([
      expect.objectContaining({
        address: ACCOUNT,
        excepted: expect.objectContaining({
          reason: 'the invoice portal enters supplier bills until 2027 (AP-7)',
        }),
      }),
    ]);
  });

  it('refuse an expression that does not parse or type-check, at its file:line:column', async () => {
    const dir = copyExample('company');
    writeFileSync(
      path.join(dir, 'policies.yaml'),
      policy(`    owned:
      expression: account.owner != "" && account.ownr == "x"
      message: an account needs an owner
    unfinished:
      expression: "account.permissions.gained.size() =="
      message: unfinished
`),
    );
    const r = await roster(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.includes('policy.expression'))).toEqual([
      'policies.yaml:7:50: error[policy.expression]: rule owned: No such key: ownr',
      'policies.yaml:10:56: error[policy.expression]: rule unfinished: Unexpected token: EOF',
    ]);
  });
});
