import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, editFile, lineOfIn, readJson } from './helpers.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

// Each built-in policy rule firing on an example, at its manifest line, and being excepted or
// reconfigured by a kind: Policy manifest.

interface Finding {
  policy: string;
  severity: string;
  address: string;
  message: string;
  file?: string;
  line?: number;
  excepted?: { reason: string; file: string; line: number };
}
interface PlanJson {
  findings: Finding[];
  diagnostics: Array<{ code: string; severity: string; file?: string; line?: number; message: string }>;
  permissions?: Array<{ address: string; gained: string[]; lost: string[] }>;
  changes: Array<{ address: string; action: string }>;
}

/**
 * The JSON plan. Most of these tests review the first plan of a fresh project, before anything is in
 * state: `--allow-empty-state`, as a first run (it changes nothing once state exists).
 */
async function planJson(cwd: string): Promise<{ code: number; plan: PlanJson; stderr: string }> {
  const r = await roster(['plan', '--format', 'json', '--allow-empty-state'], { cwd });
  return { code: r.code, plan: JSON.parse(r.stdout) as PlanJson, stderr: r.stderr };
}

const policy = (spec: string, name = 'review') => `apiVersion: roster/v1
kind: Policy
metadata: { name: ${name} }
spec:
${spec}`;

/** Except `rule` for `address` with a reason: the finding stays in the plan, marked, and no longer blocks. */
async function expectExcepted(dir: string, rule: string, address: string): Promise<void> {
  writeFileSync(
    path.join(dir, 'policy-exception.yaml'),
    policy(
      `  exceptions:
    - { rule: ${rule}, address: "${address}", reason: accepted for the test }
`,
      'exception',
    ),
  );
  const r = await planJson(dir);
  expect(r.code, r.stderr).toBe(0);
  expect(r.plan.findings.filter((f) => f.policy === rule)).toEqual([
    expect.objectContaining({
      address,
      excepted: { reason: 'accepted for the test', file: 'policy-exception.yaml', line: 6 },
    }),
  ]);
}

describe('policies', () => {
  it('intacct.web-services-admin: an error at the line that blocks plan and apply, until excepted with a reason', async () => {
    const dir = copyExample('quickstart');
    const file = path.join(dir, 'service-accounts.yaml');
    editFile(file, /adminPrivileges: off/, 'adminPrivileges: full');
    const blocked = await planJson(dir);
    expect(blocked.code).toBe(1);
    expect(blocked.plan.findings).toEqual([
      {
        policy: 'intacct.web-services-admin',
        severity: 'error',
        address: 'intacct-sandbox/ServiceAccount/invoice-portal',
        message: expect.stringContaining('has adminPrivileges full'),
        file: 'service-accounts.yaml',
        line: lineOfIn(file, 'adminPrivileges: full'),
        column: expect.any(Number),
      },
    ]);
    const text = await roster(['plan', '--allow-empty-state'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(
      /^service-accounts\.yaml:15:\d+: error\[policy\/intacct\.web-services-admin\]: web services user WS_INVOICE_PORTAL has adminPrivileges full/m,
    );
    expect(text.stderr).not.toMatch(/\n\s+at /);
    const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('Apply refused: policy findings of severity error');
    expect(existsSync(path.join(dir, '.roster/state.json'))).toBe(false);

    writeFileSync(
      path.join(dir, 'policy.yaml'),
      policy(`  exceptions:
    - rule: intacct.web-services-admin
      address: intacct-sandbox/ServiceAccount/invoice-*
      reason: the portal vendor's installer creates its own users (ticket SEC-142)
`),
    );
    const excepted = await planJson(dir);
    expect(excepted.code, excepted.stderr).toBe(0);
    expect(excepted.plan.findings[0]).toMatchObject({
      policy: 'intacct.web-services-admin',
      excepted: { reason: expect.stringContaining('SEC-142'), file: 'policy.yaml', line: 6 },
    });
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
  });

  it('labels-required and personal-email: warnings by default, an error when the Policy says so, nothing when disabled', async () => {
    const dir = copyExample('quickstart');
    const file = path.join(dir, 'service-accounts.yaml');
    editFile(
      file,
      'labels: { owner: data-platform, purpose: nightly-bi-export }',
      'labels: { owner: data-platform }',
    );
    editFile(file, /ws-bi-export@example\.com/g, 'jane.doe@example.com');
    const warned = await planJson(dir);
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.plan.findings.map((f) => [f.policy, f.severity, f.address, f.line])).toEqual([
      [
        'labels-required',
        'warning',
        'intacct-sandbox/ServiceAccount/bi-export',
        lineOfIn(file, 'labels: { owner: data-platform }'),
      ],
      [
        'personal-email',
        'warning',
        'intacct-sandbox/ServiceAccount/bi-export',
        lineOfIn(file, 'email: jane.doe@example.com'),
      ],
    ]);
    expect(warned.plan.findings[0]!.message).toContain('has no labels.purpose');
    await expectExcepted(dir, 'personal-email', 'intacct-sandbox/ServiceAccount/bi-export');

    writeFileSync(
      path.join(dir, 'policy.yaml'),
      policy(`  rules:
    labels-required: { severity: error }
    personal-email: { enabled: false }
`),
    );
    const strict = await planJson(dir);
    expect(strict.code).toBe(1);
    expect(strict.plan.findings.map((f) => [f.policy, f.severity])).toEqual([['labels-required', 'error']]);
    await expectExcepted(dir, 'labels-required', 'intacct-sandbox/ServiceAccount/bi-export');
  });

  it('privilege-escalation: a Proliance integration account holding a role with Security Permissions, at the role', async () => {
    const dir = copyExample('proliance');
    const file = path.join(dir, 'integration.yaml');
    editFile(file, 'securityPermissions: false', 'securityPermissions: true');
    const r = await planJson(dir);
    expect(r.code).toBe(1);
    expect(r.plan.findings).toEqual([
      expect.objectContaining({
        policy: 'privilege-escalation',
        severity: 'error',
        address: 'proliance/ServiceAccount/procore',
        file: 'integration.yaml',
        line: lineOfIn(file, 'roles: [{ ref: procore-sync }]'),
        message: expect.stringContaining('Security Permissions: change security roles (role Procore Sync)'),
      }),
    ]);
    await expectExcepted(dir, 'privilege-escalation', 'proliance/ServiceAccount/procore');
  });

  it('autotask.cost-reading-base-level: a level copied from the cost-reading API level, unless needsCosts', async () => {
    const dir = copyExample('autotask');
    const file = path.join(dir, 'office-protect.yaml');
    editFile(
      file,
      "copiedFrom: API User (system) Can't Read Costs (API-only)",
      'copiedFrom: API User (system) (API-only)',
    );
    const r = await planJson(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.plan.findings.map((f) => [f.policy, f.severity, f.line])).toEqual([
      ['autotask.cost-reading-base-level', 'warning', lineOfIn(file, 'securityLevel: { ref: alerts-api }')],
    ]);
    expect(r.plan.permissions?.find((p) => p.address.endsWith('office-protect'))?.gained).toContain(
      'Costs: View',
    );
    await expectExcepted(
      dir,
      'autotask.cost-reading-base-level',
      'autotask-prod/ServiceAccount/office-protect',
    );
    rmSync(path.join(dir, 'policy-exception.yaml'));
    editFile(
      file,
      '  securityLevel: { ref: alerts-api }',
      '  securityLevel: { ref: alerts-api }\n  needsCosts: true',
    );
    expect((await planJson(dir)).plan.findings).toEqual([]);
  });

  it('afas.connector-everybody: an app connector linked to the group of all users', async () => {
    const dir = copyExample('afas');
    const file = path.join(dir, 'access.yaml');
    editFile(file, 'id: INV-APP', 'id: Everybody');
    const r = await planJson(dir);
    expect(r.plan.findings).toEqual([
      expect.objectContaining({
        policy: 'afas.connector-everybody',
        severity: 'warning',
        address: 'afas-sandbox/Connector/invoice-portal',
        line: lineOfIn(file, 'group: { ref: invoice-app-users }'),
      }),
    ]);
    await expectExcepted(dir, 'afas.connector-everybody', 'afas-sandbox/Connector/invoice-portal');
  });

  it('rotation-overdue: credentials older than rotateAfterDays', async () => {
    const dir = copyExample('autotask');
    expect((await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir })).code).toBe(0);
    const stateFile = path.join(dir, '.roster/state.json');
    const doc = readJson<{ resources: Record<string, { credentialsIssuedAt?: string }> }>(stateFile);
    doc.resources['autotask-prod/ServiceAccount/office-protect']!.credentialsIssuedAt = new Date(
      Date.now() - 120 * 86_400_000,
    ).toISOString();
    writeFileSync(stateFile, JSON.stringify(doc, null, 2), { mode: 0o600 });
    const r = await planJson(dir);
    expect(r.plan.findings).toEqual([
      expect.objectContaining({
        policy: 'rotation-overdue',
        severity: 'warning',
        message: expect.stringContaining('are 120 days old'),
        line: lineOfIn(path.join(dir, 'office-protect.yaml'), 'rotateAfterDays: 90'),
      }),
    ]);
    await expectExcepted(dir, 'rotation-overdue', 'autotask-prod/ServiceAccount/office-protect');
  });

  it('a Policy manifest with an unknown rule, a rule without options, or an exception without reason is an error at its line', async () => {
    const dir = copyExample('quickstart');
    writeFileSync(
      path.join(dir, 'policy.yaml'),
      policy(`  rules:
    labels-requred: { severity: error }
    rotation-overdue: { options: { days: 3 } }
`),
    );
    writeFileSync(
      path.join(dir, 'policy-exceptions.yaml'),
      policy(
        `  exceptions:
    - { rule: personal-email, address: "*" }
`,
        'exceptions',
      ),
    );
    const r = await roster(['plan'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^policy\.yaml:6:\d+: error\[policy\.unknown-rule\]: unknown policy rule labels-requred \(did you mean labels-required\?\)/m,
    );
    expect(r.stderr).toMatch(
      /^policy\.yaml:7:\d+: error\[policy\.options\]: policy rule rotation-overdue takes no options/m,
    );
    expect(r.stderr).toMatch(/^policy-exceptions\.yaml:6:\d+: error\[manifest\.schema\]: .*reason/m);
  });

  it('an exception that matches nothing is a warning', async () => {
    const dir = copyExample('quickstart');
    writeFileSync(
      path.join(dir, 'policy.yaml'),
      policy(`  exceptions:
    - { rule: personal-email, address: intacct-sandbox/ServiceAccount/gone, reason: left over }
`),
    );
    const r = await planJson(dir);
    expect(r.code).toBe(0);
    expect(r.plan.diagnostics).toEqual([
      expect.objectContaining({
        code: 'policy.unused-exception',
        severity: 'warning',
        file: 'policy.yaml',
        line: 6,
      }),
    ]);
  });
});

describe('effective permissions across providers', () => {
  it('a wider Autotask security level shows on its API user and on the Getint connection signed in as it', async () => {
    const dir = copyExample('company');
    expect((await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir })).code).toBe(0);
    const file = path.join(dir, 'autotask-office-protect.yaml');
    editFile(
      file,
      'Service Desk › Tickets: [View, Add, Edit]',
      'Service Desk › Tickets: [View, Add, Edit, Delete]',
    );
    editFile(
      path.join(dir, 'intacct-access.yaml'),
      /permissions:\n(\s+)accountsPayable\/bills: \[list, readonly, add, modify\]/,
      'permissions:\n$1accountsPayable/bills: [list, view]',
    );
    const r = await planJson(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.plan.permissions).toEqual([
      expect.objectContaining({
        address: 'autotask-prod/ServiceAccount/office-protect',
        gained: ['Service Desk › Tickets: Delete'],
        lost: [],
      }),
      expect.objectContaining({
        address: 'getint/Connector/autotask-alerts',
        gained: ['autotask-prod: Service Desk › Tickets: Delete'],
        lost: [],
      }),
      expect.objectContaining({
        address: 'intacct-sandbox/ServiceAccount/invoice-portal',
        gained: [],
        lost: ['accountsPayable/bills: add', 'accountsPayable/bills: modify'],
      }),
    ]);
    const md = await roster(['plan', '--format', 'markdown'], { cwd: dir });
    expect(md.stdout).toContain(
      '- **permission increase** `autotask-prod/ServiceAccount/office-protect` gains 1 permission: Service Desk › Tickets: Delete',
    );
    // Effective permissions as readable lists, one line a subject with its rights.
    expect(md.stdout).toContain(
      '**`intacct-sandbox/ServiceAccount/invoice-portal`** loses 2 permissions:\n\n- loses accountsPayable/bills: add, modify',
    );
  });
});
