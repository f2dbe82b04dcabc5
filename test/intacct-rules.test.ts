import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, readJson, serveSandbox } from './helpers.js';
import { IntacctApi } from './intacct-api.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

const provider = `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec: { type: intacct, endpoint: sandbox, companyId: demo-co }
`;

function user(name: string, id: string, extra = '', spec = '') {
  return `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: ${name}, provider: books }
spec:
  id: ${id}
  userName: ${name}
  email: ${id.toLowerCase()}@example.com
  contact: { firstName: Web, lastName: ${name}, email: ${id.toLowerCase()}@example.com }
  userType: business
  adminPrivileges: off
${spec}${extra}`;
}

interface PlanJson {
  changes: Array<{
    address: string;
    action: string;
    after: Record<string, unknown> | null;
    reasons: Array<{ rule: string; message: string }>;
    steps?: string[];
  }>;
  diagnostics: Array<{ code: string; severity: string; file?: string; line?: number; message: string }>;
}

/**
 * The JSON plan. Several tests plan a fresh project before its first apply (no state yet):
 * `--allow-empty-state`, as a first run (it changes nothing once state exists).
 */
async function planJson(cwd: string): Promise<{ code: number; plan: PlanJson; stderr: string }> {
  const r = await roster(['plan', '--format', 'json', '--allow-empty-state'], { cwd });
  return { code: r.code, plan: JSON.parse(r.stdout) as PlanJson, stderr: r.stderr };
}

/** Line (1-based) of the first line containing `text`. */
function lineOf(content: string, text: string): number {
  return content.split('\n').findIndex((l) => l.includes(text)) + 1;
}

async function withServer<T>(cwd: string, fn: (api: IntacctApi) => Promise<T>): Promise<T> {
  const server = await serveSandbox(cwd, 'books');
  try {
    return await fn(new IntacctApi(server.url, undefined, server.token));
  } finally {
    await server.stop();
  }
}

describe('Sage Intacct rules, end to end on the sandbox', () => {
  it('creates a user declared inactive as locked first, then makes it inactive', async () => {
    const dir = project({
      'p.yaml': provider,
      'u.yaml': user('later', 'WS_LATER', '', '  status: inactive\n'),
    });
    const { plan } = await planJson(dir);
    expect(plan.changes.map((c) => [c.action, c.after?.status])).toEqual([
      ['create', 'locked'],
      ['update', 'inactive'],
    ]);
    expect(plan.changes[0]!.reasons[0]!.rule).toBe('createValues');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    await withServer(dir, async (api) => {
      expect((await api.user('WS_LATER')).status).toBe('inactive');
    });
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);
  });

  it('refuses a changed id at its manifest line, and replaces only with allowReplace', async () => {
    const dir = project({ 'p.yaml': provider, 'u.yaml': user('portal', 'WS_PORTAL') });
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const changed = user('portal', 'WS_PORTAL2');
    writeFileSync(path.join(dir, 'u.yaml'), changed);
    const r = await roster(['plan'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `u.yaml:${lineOf(changed, 'id: WS_PORTAL2')}:7: error[rule.immutable]: id of ServiceAccount WS_PORTAL cannot be changed`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    writeFileSync(path.join(dir, 'u.yaml'), `${changed}lifecycle: { allowReplace: true }\n`);
    const { plan } = await planJson(dir);
    expect(plan.changes.map((c) => c.action)).toEqual(['replace']);
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    await withServer(dir, async (api) => {
      expect((await api.user('WS_PORTAL')).status).toBe('inactive'); // the old one is deactivated
      expect((await api.user('WS_PORTAL2')).status).toBe('active');
    });
  });

  it('deactivates a removed user, and reactivates it when it comes back', async () => {
    const dir = project({ 'p.yaml': provider, 'a.yaml': user('a', 'WS_A'), 'b.yaml': user('b', 'WS_B') });
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    writeFileSync(path.join(dir, 'b.yaml'), '');
    const { plan } = await planJson(dir);
    expect(plan.changes.map((c) => [c.address, c.action])).toEqual([
      ['books/ServiceAccount/b', 'deactivate'],
    ]);
    const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.stdout).toContain('1 deactivated');
    await withServer(dir, async (api) => {
      expect((await api.user('WS_B')).status).toBe('inactive');
    });
    const state = readJson<{ resources: Record<string, unknown> }>(path.join(dir, '.roster/state.json'));
    expect(Object.keys(state.resources)).toEqual(['books/ServiceAccount/a']);
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);

    writeFileSync(path.join(dir, 'b.yaml'), user('b', 'WS_B', '', '  status: active\n'));
    const back = await planJson(dir);
    expect(back.plan.changes.map((c) => c.action)).toEqual(['update']);
    expect(back.plan.changes[0]!.reasons.map((r) => r.rule)).toContain('deleteMode');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    await withServer(dir, async (api) => {
      expect((await api.user('WS_B')).status).toBe('active');
    });
  });

  it('deletes with onRemove: delete only while the ID was never used, and says why otherwise', async () => {
    const del = 'lifecycle: { onRemove: delete }\n';
    const dir = project({
      'p.yaml': provider,
      'a.yaml': user('a', 'WS_A', del),
      'b.yaml': user('b', 'WS_B', del),
    });
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    await withServer(dir, (api) => api.login('WS_B'));
    writeFileSync(path.join(dir, 'a.yaml'), '');
    writeFileSync(path.join(dir, 'b.yaml'), '');
    const { plan } = await planJson(dir);
    expect(plan.changes.map((c) => c.action)).toEqual(['delete', 'delete']);
    const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.code).toBe(1);
    expect(apply.stdout).toContain('1 deleted');
    expect(apply.stdout).toMatch(/books\/ServiceAccount\/b: .*(activated|used|logged in)/i);
    expect(apply.stderr).not.toMatch(/\n\s+at /);
    const state = readJson<{ resources: Record<string, unknown> }>(path.join(dir, '.roster/state.json'));
    expect(Object.keys(state.resources)).toEqual(['books/ServiceAccount/b']);
  });

  it('rejects admin privileges on a non-business user at the line, before any API call', async () => {
    const content = user('x', 'WS_X')
      .replace('adminPrivileges: off', 'adminPrivileges: full')
      .replace('userType: business', 'userType: employee');
    const dir = project({ 'p.yaml': provider, 'u.yaml': content });
    const r = await roster(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `u.yaml:${lineOf(content, 'adminPrivileges')}:20: error[intacct.admin-privileges]`,
    );
  });

  it('rejects an id a standard user already has', async () => {
    const dir = project({ 'p.yaml': provider, 'u.yaml': user('x', 'JSMITH') });
    await withServer(dir, (api) => api.createStandardUser('JSMITH'));
    const r = await roster(['plan', '--allow-empty-state'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/u\.yaml:5:7: error\[plan\.natural-key-conflict\]: .*JSMITH.*standard/);
  });

  it('changes the contact e-mail before the account e-mail, and warns when they differ', async () => {
    const dir = project({ 'p.yaml': provider, 'u.yaml': user('m', 'WS_M') });
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    writeFileSync(
      path.join(dir, 'u.yaml'),
      user('m', 'WS_M').replaceAll('ws_m@example.com', 'new-m@example.com'),
    );
    const { plan } = await planJson(dir);
    expect(plan.changes[0]!.steps?.[0]).toMatch(/contact/i);
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    await withServer(dir, async (api) => {
      expect((await api.user('WS_M')).accountEmail).toBe('new-m@example.com');
    });
    const mismatch = user('m', 'WS_M').replace('email: ws_m@example.com', 'email: other@example.com');
    writeFileSync(path.join(dir, 'u.yaml'), mismatch);
    const v = await roster(['validate'], { cwd: dir });
    expect(v.stderr).toMatch(/warning\[intacct\.email-mismatch\].*other@example\.com.*ws_m@example\.com/);
  });

  it('plans a password reset once rotateAfterDays passed, warns that it breaks the integration, stores the new password', async () => {
    const credentials = '  credentials: { password: "${file:secrets/ws-r.password}", rotateAfterDays: 30 }\n';
    const dir = project({ 'provider.yaml': provider, 'u.yaml': user('rotating', 'WS_R', credentials) });
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    // Not due yet: no rotation, no warning.
    const fresh = await planJson(dir);
    expect(fresh.plan.changes).toEqual([]);
    expect(fresh.plan.diagnostics).toEqual([]);

    // 31 days pass (state records when the credentials were issued).
    const stateFile = path.join(dir, '.roster/state.json');
    const doc = readJson<{ resources: Record<string, { credentialsIssuedAt?: string }> }>(stateFile);
    doc.resources['books/ServiceAccount/rotating']!.credentialsIssuedAt = new Date(
      Date.now() - 31 * 86_400_000,
    ).toISOString();
    writeFileSync(stateFile, JSON.stringify(doc, null, 2), { mode: 0o600 });

    const due = await planJson(dir);
    expect(due.code, due.stderr).toBe(0);
    expect(due.plan.changes.map((c) => [c.address, c.action])).toEqual([
      ['books/ServiceAccount/rotating', 'rotate'],
    ]);
    expect(due.plan.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'intacct.password-reset',
        file: 'u.yaml',
        line: 11,
        message: expect.stringContaining('can break the integrations that sign in as it'),
      }),
    ]);
    const text = await roster(['plan'], { cwd: dir });
    expect(text.stdout).toContain(
      'Go to:  Company › Admin › Users, roles and groups › Web services users › WS_R › Edit',
    );

    const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain('1 rotated');
    const file = path.join(dir, 'secrets/ws-r.password');
    const password = readFileSync(file, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(apply.stdout + apply.stderr).not.toContain(password);
    expect(readFileSync(stateFile, 'utf8')).not.toContain(password);
    const after = await planJson(dir);
    expect(after.plan.changes).toEqual([]);
  });
});
