import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFiles, copyExample, readJson, serveSandbox } from './helpers.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

// Autotask creates API users and security levels only in its UI, and its REST API cannot read an
// API user's security level or integration vendor. These tests run the built CLI against the
// Autotask sandbox over HTTP, and act as the operator through the simulator's admin console.

const USER = 'autotask-prod/ServiceAccount/office-protect';
const LEVEL = 'autotask-prod/SecurityLevel/alerts-api';

interface ConsoleState {
  resources: Array<{
    id: number;
    email: string;
    firstName: string;
    active: boolean;
    integrationVendor?: string;
    securityLevel?: string | number;
  }>;
}

/** A served sandbox: its URL and the console headers (per-run secret included). */
type Served = { url: string; headers: Record<string, string> };

async function consoleCall(served: Served, method: string, route: string, body?: unknown) {
  const res = await fetch(`${served.url}/__sandbox/${route}`, {
    method,
    headers: served.headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Do something in the sandbox "UI" (its console), as an operator would, then stop serving. */
async function asOperator<T>(dir: string, act: (served: Served) => Promise<T>): Promise<T> {
  const served = await serveSandbox(dir, 'autotask-prod');
  try {
    return await act(served);
  } finally {
    await served.stop();
  }
}

function apiUsers(state: ConsoleState, email: string) {
  return state.resources.filter((r) => r.email?.toLowerCase() === email);
}

describe('Autotask guided apply', () => {
  it('without a terminal: applies what it can, writes the runbook, exits 3; the next run verifies and attests', async () => {
    const dir = copyExample('autotask');
    const first = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(first.code, first.stderr).toBe(3);
    expect(first.stdout).toContain('(manual step 1)');
    expect(first.stdout).toContain('Apply incomplete');
    const runbook = readFileSync(path.join(dir, '.roster/runbook.md'), 'utf8');
    // Both steps, in order: the security level first, then the API user that uses it.
    const levelAt = runbook.indexOf('Office Protect Alerts (API)');
    const userAt = runbook.indexOf('alerts@example.com');
    expect(levelAt).toBeGreaterThan(0);
    expect(userAt).toBeGreaterThan(levelAt);
    expect(runbook).toMatch(/New API User/);
    expect(runbook).toContain('Office Protect - Alert Integration');
    expect(runbook).toContain(path.join(dir, 'secrets/office-protect.secret'));
    expect(runbook).toMatch(/- \[ \] /);

    // The operator follows the runbook in the UI.
    await asOperator(dir, async (url) => {
      await consoleCall(url, 'POST', 'security-levels', {
        name: 'Office Protect Alerts (API)',
        copiedFrom: "API User (system) Can't Read Costs (API-only)",
        active: true,
      });
      const created = await consoleCall(url, 'POST', 'api-users', {
        firstName: 'Office Protect',
        lastName: 'Alerts',
        email: 'alerts@example.com',
        securityLevel: 'Office Protect Alerts (API)',
        integrationVendor: 'Office Protect - Alert Integration',
      });
      // Shown once: the operator keeps it where the manifest says.
      mkdirSync(path.join(dir, 'secrets'), { recursive: true });
      writeFileSync(path.join(dir, 'secrets/office-protect.secret'), String(created.secret), { mode: 0o600 });
    });

    // The API user is found and verified; the level, which the API cannot see, is confirmed.
    const second = await roster(['apply', '--auto-approve', '--confirm', LEVEL], {
      cwd: dir,
      env: { ROSTER_ACTOR: 'ops-alice' },
    });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(existsSync(path.join(dir, '.roster/runbook.md'))).toBe(false);

    const show = await roster(['state', 'show', USER], { cwd: dir });
    const shown = JSON.parse(show.stdout) as { provenance: Record<string, string> };
    expect(shown.provenance.email).toBe('verified');
    expect(shown.provenance.integrationVendor).toMatch(
      /^attested by ops-alice at .* \(runbook step found done\)$/,
    );
    const level = JSON.parse((await roster(['state', 'show', LEVEL], { cwd: dir })).stdout) as {
      provenance: Record<string, string>;
    };
    expect(level.provenance.name).toMatch(/^attested by ops-alice at /);

    const again = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(again.code, again.stdout).toBe(0);
    const drift = await roster(['drift'], { cwd: dir });
    expect(drift.code).toBe(0);
    expect(drift.stdout).toContain('Attested, not verified');
    expect(drift.stdout).toMatch(/office-protect integrationVendor: confirmed by ops-alice/);
  });

  it('keeps a step pending when reading the system back does not show it done', async () => {
    const dir = copyExample('autotask');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(3);
    // The operator mistypes the e-mail: the API user roster looks for does not exist.
    await asOperator(dir, async (url) => {
      await consoleCall(url, 'POST', 'security-levels', {
        name: 'Office Protect Alerts (API)',
        copiedFrom: "API User (system) Can't Read Costs (API-only)",
      });
      await consoleCall(url, 'POST', 'api-users', {
        firstName: 'Office Protect',
        lastName: 'Alerts',
        email: 'alerts@exmaple.com',
        securityLevel: 'Office Protect Alerts (API)',
        integrationVendor: 'Office Protect - Alert Integration',
      });
    });
    const r = await roster(['apply', '--auto-approve', '--confirm', LEVEL, '--confirm', USER], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain(
      `${USER}: verification failed: no ServiceAccount alerts@example.com found in the system`,
    );
    const state = readJson<{ resources: Record<string, unknown>; pending: Record<string, unknown> }>(
      path.join(dir, '.roster/state.json'),
    );
    expect(Object.keys(state.resources)).toEqual([LEVEL]);
    expect(Object.keys(state.pending)).toEqual([USER]);
    expect(readFileSync(path.join(dir, '.roster/runbook.md'), 'utf8')).toContain('alerts@example.com');

    // A wrong first name on the right e-mail is something the API can fix: planned as an update.
    await asOperator(dir, async (url) => {
      await consoleCall(url, 'POST', 'api-users', {
        firstName: 'Ofice Protect',
        lastName: 'Alerts',
        email: 'alerts@example.com',
        securityLevel: 'Office Protect Alerts (API)',
        integrationVendor: 'Office Protect - Alert Integration',
      });
    });
    const plan = await roster(['plan', '--format', 'json'], { cwd: dir });
    const changes = (JSON.parse(plan.stdout) as { changes: Array<Record<string, unknown>> }).changes;
    expect(changes.map((c) => [c.address, c.action, c.execution])).toEqual([[USER, 'update', 'api']]);
    expect(changes[0]!.patch).toContainEqual({ op: 'replace', path: '/firstName', value: 'Office Protect' });
    // What the API cannot read rests on the runbook step the operator was given.
    expect(changes[0]!.attestFromRunbook).toEqual(['securityLevel', 'integrationVendor', 'locked']);
  });

  it('refuses a vendor change until allowReplace, then replaces: a new API user, the old one made inactive', async () => {
    const dir = copyExample('autotask');
    const setup = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(setup.code, setup.stdout + setup.stderr).toBe(0);
    const file = path.join(dir, 'office-protect.yaml');
    const manifest = readFileSync(file, 'utf8');
    writeFileSync(file, manifest.replace('Office Protect - Alert Integration', 'Zapier'));

    const plan = await roster(['plan', '--format', 'json'], { cwd: dir });
    const p = JSON.parse(plan.stdout) as {
      changes: Array<Record<string, unknown>>;
      blockedReplacements: string[];
    };
    expect(p.changes.map((c) => [c.action, c.execution])).toEqual([['replace', 'manual']]);
    expect(p.blockedReplacements).toEqual([USER]);
    expect(JSON.stringify(p.changes[0]!.reasons)).toContain('integrations using the old one break');

    const refused = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`refusing to replace ${USER}`);

    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        'lifecycle: { preventDestroy: true }',
        'lifecycle: { preventDestroy: true, allowReplace: true }',
      ),
    );
    const replaced = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(replaced.code, replaced.stdout + replaced.stderr).toBe(0);
    const state = await asOperator(dir, (url) => consoleCall(url, 'GET', 'state'));
    const users = apiUsers(state as unknown as ConsoleState, 'alerts@example.com');
    expect(users.map((u) => [u.integrationVendor, u.active]).sort()).toEqual([
      ['Office Protect - Alert Integration', false],
      ['Zapier', true],
    ]);
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);
  });

  it('deactivates a removed API user (Autotask never deletes resources)', async () => {
    const dir = copyExample('autotask');
    expect((await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir })).code).toBe(0);
    const file = path.join(dir, 'office-protect.yaml');
    // preventDestroy guards the API user: lift it first (state records it), then remove the user.
    writeFileSync(file, readFileSync(file, 'utf8').replace('lifecycle: { preventDestroy: true }', ''));
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    writeFileSync(file, readFileSync(file, 'utf8').split('\n---\n')[0]!);
    const plan = await roster(['plan'], { cwd: dir });
    expect(plan.stdout).toContain(`# ${USER} will be deactivated`);
    expect(plan.stdout).toContain('not deleted');
    const r = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('1 deactivated');
    const state = (await asOperator(dir, (url) =>
      consoleCall(url, 'GET', 'state'),
    )) as unknown as ConsoleState;
    expect(apiUsers(state, 'alerts@example.com').map((u) => u.active)).toEqual([false]);
  });

  it('stores the secret shown once only where the manifest says, and nowhere else', async () => {
    const dir = copyExample('autotask');
    const outputs: string[] = [];
    for (const args of [
      ['apply', '--auto-approve', '--sandbox-operator'],
      ['plan', '--format', 'json'],
      ['plan', '--format', 'markdown'],
      ['drift', '--format', 'json'],
      ['state', 'show', USER],
    ]) {
      const r = await roster(args, { cwd: dir, env: { ROSTER_LOG: 'debug' } });
      outputs.push(r.stdout, r.stderr);
    }
    const secretFile = path.join(dir, 'secrets/office-protect.secret');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const secret = readFileSync(secretFile, 'utf8').trim();
    expect(secret.length).toBeGreaterThan(8);
    for (const text of outputs) expect(text).not.toContain(secret);
    for (const f of allFiles(dir)) {
      if (f === secretFile) continue;
      expect(readFileSync(f, 'utf8'), f).not.toContain(secret);
    }
  });

  it('refuses --sandbox-operator when a manual step is on a system that is not a sandbox', async () => {
    const dir = copyExample('autotask');
    const served = await serveSandbox(dir, 'autotask-prod');
    try {
      writeFileSync(
        path.join(dir, 'provider.yaml'),
        `apiVersion: roster/v1
kind: Provider
metadata: { name: autotask-prod }
spec:
  type: autotask
  endpoint: ${served.url}
  credentials: { username: "\${env:AT_USER}", secret: "\${env:AT_SECRET}", integrationCode: "\${env:AT_CODE}" }
`,
      );
      const r = await roster(['apply', '--auto-approve', '--sandbox-operator'], {
        cwd: dir,
        // The served sandbox declares no credentials: its calling user's tracking identifier.
        env: {
          AT_USER: 'api@example.com',
          AT_SECRET: 'not-a-real-secret',
          AT_CODE: 'ROSTERSANDBOXINTEGRATIONCOD',
        },
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        '--sandbox-operator performs manual steps only in sandboxes, and autotask-prod is not one',
      );
      expect(r.stdout + r.stderr).not.toContain('not-a-real-secret');
    } finally {
      await served.stop();
    }
  });

  it('plans a rotation once the secret is older than rotateAfterDays, and stores the new one', async () => {
    const dir = copyExample('autotask');
    expect((await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir })).code).toBe(0);
    const secretFile = path.join(dir, 'secrets/office-protect.secret');
    const first = readFileSync(secretFile, 'utf8');
    // 100 days pass (rotateAfterDays is 90): state says when the secret was issued.
    const stateFile = path.join(dir, '.roster/state.json');
    const doc = readJson<{ resources: Record<string, { credentialsIssuedAt?: string }> }>(stateFile);
    expect(doc.resources[USER]!.credentialsIssuedAt).toMatch(/^\d{4}-/);
    doc.resources[USER]!.credentialsIssuedAt = new Date(Date.now() - 100 * 86_400_000).toISOString();
    writeFileSync(stateFile, JSON.stringify(doc, null, 2), { mode: 0o600 });

    const plan = await roster(['plan', '--format', 'json'], { cwd: dir });
    const p = JSON.parse(plan.stdout) as {
      summary: { rotate: number };
      changes: Array<Record<string, unknown>>;
    };
    expect(p.summary.rotate).toBe(1);
    expect(p.changes.map((c) => [c.address, c.action, c.execution])).toEqual([[USER, 'rotate', 'manual']]);
    expect(JSON.stringify(p.changes[0]!.reasons)).toMatch(/are 100 days old; rotateAfterDays is 90/);
    expect(JSON.stringify(p.changes[0]!.manual)).toContain('Generate Secret');

    const r = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const second = readFileSync(secretFile, 'utf8');
    expect(second).not.toBe(first);
    expect(r.stdout + r.stderr).not.toContain(second.trim());
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);
  });

  it('roster test: the API user signs in with its own secret; a wrong secret or a deactivated user fails', async () => {
    const dir = copyExample('autotask');
    expect((await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir })).code).toBe(0);
    const pass = await roster(['test', '--format', 'json'], { cwd: dir });
    expect(pass.code, pass.stderr).toBe(0);
    const rows = JSON.parse(pass.stdout) as Array<Record<string, unknown>>;
    expect(rows).toEqual([
      expect.objectContaining({
        address: USER,
        status: 'pass',
        authenticated: true,
        permission: { ok: true, checked: 'query Tickets (MaxRecords 1) as the API user' },
        lastRotation: expect.stringMatching(/^\d{4}-/),
      }),
    ]);
    const text = await roster(['test'], { cwd: dir });
    expect(text.stdout).toMatch(
      /^account\s+system\s+authenticated\s+permission check\s+last rotation\s+result$/m,
    );

    const secretFile = path.join(dir, 'secrets/office-protect.secret');
    const secret = readFileSync(secretFile, 'utf8');
    writeFileSync(secretFile, 'not-the-secret\n');
    const wrong = await roster(['test', USER], { cwd: dir });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/FAIL \(.*the secret does not match/);
    writeFileSync(secretFile, secret);

    // Autotask checks ApiIntegrationCode against the API user's own tracking identifier: another
    // one is refused (500 with errors, not 401), and the operator kept the right one where the
    // manifest's credentials.integrationCode points.
    const codeFile = path.join(dir, 'secrets/office-protect.tracking-id');
    const code = readFileSync(codeFile, 'utf8');
    expect(code).toMatch(/^[A-Z0-9]{24}\n$/);
    writeFileSync(codeFile, 'ROSTERSANDBOXINTEGRATIONCOD');
    const wrongCode = await roster(['test', USER], { cwd: dir });
    expect(wrongCode.code).toBe(1);
    expect(wrongCode.stdout).toMatch(/FAIL \(.*IntegrationCode is invalid\. \(HTTP 500\)/);
    writeFileSync(codeFile, code);
    expect((await roster(['test', USER], { cwd: dir })).code).toBe(0);

    await asOperator(dir, async (url) => {
      const state = (await consoleCall(url, 'GET', 'state')) as unknown as ConsoleState;
      const id = apiUsers(state, 'alerts@example.com')[0]!.id;
      await consoleCall(url, 'PATCH', `api-users/${id}`, { active: false });
    });
    const inactive = await roster(['test'], { cwd: dir });
    expect(inactive.code).toBe(1);
    expect(inactive.stdout).toContain('FAIL');
    expect(inactive.stdout + inactive.stderr).not.toContain(secret.trim());

    const unknown = await roster(['test', 'autotask-prod/ServiceAccount/nobody'], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('is not an account in the manifests');
  });
});
