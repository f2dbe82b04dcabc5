import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, editFile, lineOfIn } from './helpers.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

// examples/proliance on the sandbox: a security role and an integration account, made by hand (the
// sandbox operator here) and read back from the registers' CSV export.

const ROLE = 'proliance/SecurityLevel/procore-sync';
const ACCOUNT = 'proliance/ServiceAccount/procore';

// The plans before a project's first apply have no state yet: --allow-empty-state, as a first run.
describe('Proliance guided apply', () => {
  it('plans the seed procedure, applies it with --sandbox-operator, and verifies it from the export', async () => {
    const dir = copyExample('proliance');
    const plan = await roster(['plan', '--format', 'json', '--allow-empty-state'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(0);
    const p = JSON.parse(plan.stdout) as {
      changes: Array<{
        address: string;
        action: string;
        execution: string;
        dependsOn: number[];
        index: number;
      }>;
      diagnostics: unknown[];
    };
    expect(p.diagnostics).toEqual([]);
    expect(p.changes.map((c) => [c.address, c.action, c.execution])).toEqual([
      [ROLE, 'create', 'manual'],
      [ACCOUNT, 'create', 'manual'],
    ]);
    expect(p.changes[1]!.dependsOn).toEqual([p.changes[0]!.index]);
    const text = await roster(['plan', '--allow-empty-state'], { cwd: dir });
    expect(text.stdout).toContain(
      'Go to:  Organization work area › Staff › S-1002 › Account page › Edit › Create Account › Integration Account',
    );

    // Without an operator, apply stops at the first manual step with the runbook (exit 3).
    const guided = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(guided.code, guided.stderr).toBe(3);
    expect(readFileSync(path.join(dir, '.roster/runbook.md'), 'utf8')).toContain(
      "Create security role 'Procore Sync'",
    );

    const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const accounts = readFileSync(path.join(dir, '.roster/sandbox/proliance/export/accounts.csv'), 'utf8');
    expect(accounts).toMatch(
      /^Staff,S-1002,procore-sync,Integration Account,Integration,Procore Sync,Procore,/m,
    );
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);

    // An integration account cannot log on: roster test says so rather than pretending to check it.
    const test = await roster(['test', '--format', 'json'], { cwd: dir });
    expect(test.code, test.stderr).toBe(0);
    expect(JSON.parse(test.stdout)).toEqual([
      {
        address: ACCOUNT,
        system: 'proliance (proliance)',
        status: 'skipped',
        message: 'an integration account cannot log on to Proliance, so roster cannot sign in as it',
      },
    ]);
  });

  it('refuses an integration account on a staff member the export does not hold, at the owner line', async () => {
    const dir = copyExample('proliance');
    const file = path.join(dir, 'integration.yaml');
    editFile(file, 'staff: S-1002', 'staff: S-9999');
    const r = await roster(['plan', '--allow-empty-state'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^integration\\.yaml:${lineOfIn(file, 'S-9999')}:\\d+: error\\[proliance\\.owner-missing\\]: staff member S-9999 does not exist in Proliance .*create the staff member first \\(Organization work area › Staff › New\\)`,
        'm',
      ),
    );
    expect(r.stdout).toBe('');
    // Nothing was written: a refused plan never reaches apply.
    expect((await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir })).code).toBe(1);
  });

  it('finds a role with Security Permissions on an integration account, at the role reference, and refuses it', async () => {
    const dir = copyExample('proliance');
    const file = path.join(dir, 'integration.yaml');
    editFile(file, 'securityPermissions: false', 'securityPermissions: true');
    const r = await roster(['plan', '--format', 'json', '--allow-empty-state'], { cwd: dir });
    // The policy privilege-escalation is an error by default: the account could make itself Administrator.
    expect(r.code, r.stderr).toBe(1);
    const p = JSON.parse(r.stdout) as { findings: Array<Record<string, unknown>> };
    expect(p.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        policy: 'privilege-escalation',
        file: 'integration.yaml',
        line: lineOfIn(file, 'roles: [{ ref: procore-sync }]'),
        message: expect.stringContaining(
          'can change its own rights (Security Permissions: change security roles',
        ),
      }),
    ]);
  });

  it('refuses a staff member holding a user account, and an inactive one', async () => {
    const dir = copyExample('proliance');
    const file = path.join(dir, 'integration.yaml');
    editFile(file, 'staff: S-1002', 'staff: S-1004');
    const user = await roster(['plan', '--allow-empty-state'], { cwd: dir });
    expect(user.code).toBe(1);
    expect(user.stderr).toContain('staff member S-1004 already has a user account (staylor)');
    editFile(file, 'staff: S-1004', 'staff: S-1003');
    const inactive = await roster(['plan', '--allow-empty-state'], { cwd: dir });
    expect(inactive.code).toBe(1);
    expect(inactive.stderr).toMatch(/error\[proliance\.owner-inactive\]: staff member S-1003 .* is inactive/);
  });

  it('reads a real export directory: adopts what exists, reports a widened role, rejects a bad cell', async () => {
    // Make the objects on a sandbox, then plan a fresh project against a copy of its export.
    const made = copyExample('proliance');
    expect((await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: made })).code).toBe(0);
    const dir = copyExample('proliance');
    cpSync(path.join(made, '.roster/sandbox/proliance/export'), path.join(dir, 'proliance-export'), {
      recursive: true,
    });
    rmSync(path.join(dir, 'provider.yaml'));
    writeFileSync(
      path.join(dir, 'provider.yaml'),
      'apiVersion: roster/v1\nkind: Provider\nmetadata: { name: proliance }\nspec:\n  type: proliance\n  export: { dir: proliance-export }\n',
    );
    const adopt = await roster(['plan', '--format', 'json', '--allow-empty-state'], { cwd: dir });
    expect(adopt.code, adopt.stderr).toBe(0);
    const a = JSON.parse(adopt.stdout) as { changes: Array<{ address: string; action: string }> };
    expect(a.changes.map((c) => [c.address, c.action])).toEqual([
      [ROLE, 'import'],
      [ACCOUNT, 'import'],
    ]);
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);

    // An export whose columns are named otherwise: export.columns maps them, and nothing changes.
    editFile(path.join(dir, 'proliance-export/staff.csv'), /^(\ufeff?)Staff ID,/, '$1Employee No,');
    editFile(path.join(dir, 'proliance-export/accounts.csv'), 'Account Name', 'Login Name');
    const provider = path.join(dir, 'provider.yaml');
    const withColumns = (accountKey: string) =>
      writeFileSync(
        provider,
        [
          'apiVersion: roster/v1',
          'kind: Provider',
          'metadata: { name: proliance }',
          'spec:',
          '  type: proliance',
          '  export:',
          '    dir: proliance-export',
          '    columns:',
          '      staff: { id: Employee No }',
          `      accounts: { ${accountKey}: Login Name }`,
          '',
        ].join('\n'),
      );
    withColumns('accountName');
    const renamed = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(renamed.code, renamed.stdout + renamed.stderr).toBe(0);
    // An unknown column key is an error at its manifest line.
    withColumns('acountName');
    const unknown = await roster(['validate'], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      new RegExp(
        `^provider\\.yaml:${lineOfIn(provider, 'acountName')}:\\d+: error\\[[^\\]]+\\]: .*acountName`,
        'm',
      ),
    );
    withColumns('accountName');

    // Someone gives the role Delete on Projects by hand; the next export shows it.
    const roles = path.join(dir, 'proliance-export/security-roles.csv');
    editFile(roles, 'Projects: Read, Update"', 'Projects: Read, Update, Delete"');
    const drift = await roster(['drift', '--format', 'json'], { cwd: dir });
    expect(drift.code, drift.stderr).toBe(2);
    expect(drift.stdout).toContain(ROLE);
    const plan = await roster(['plan'], { cwd: dir });
    expect(plan.stdout).toContain(
      '~ permissions         = {Organization: ["Read"], Projects: ["Read", "Update", "Delete"]} → {Organization: ["Read"], Projects: ["Read", "Update"]}',
    );

    editFile(
      path.join(dir, 'proliance-export/accounts.csv'),
      /,Yes,roster sandbox operator/,
      ',Maybe,roster sandbox operator',
    );
    const bad = await roster(['plan'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/accounts\.csv line 3, column "Active": "Maybe" is not Yes or No/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
