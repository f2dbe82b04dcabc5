import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../packages/core/src/secret.js';
import { ScimClient } from '../packages/provider-scim/src/client/scim-client.js';
import { project, serveSandbox } from './helpers.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';
import { startScimmyServer } from './support/scimmy-server.js';

/** A SCIM resource or list response, as these tests read it. */
// biome-ignore lint/suspicious/noExplicitAny: arbitrary JSON from two servers, read field by field
type ScimJson = Record<string, any>;

// The SCIM provider end to end, the same test code against two servers: scimmy (a SCIM library
// roster did not write, with its own readings of the RFC: a default page of 20 resources, 204 on a
// PATCH that changed nothing, no Location header) and roster's own sandbox served over HTTP.

interface Target {
  url: string;
  token: string;
  stop(): Promise<void>;
}

const TOKEN_ENV = 'TOOLS_SCIM_TOKEN';

const targets: Array<[string, () => Promise<Target>]> = [
  [
    'scimmy',
    async () => {
      const s = await startScimmyServer();
      return { url: s.url, token: s.token, stop: () => s.close() };
    },
  ],
  [
    'the sandbox',
    async () => {
      const token = 'sandbox-scim-token-e2e';
      const dir = project({ 'provider.yaml': providerYaml('sandbox') });
      const served = await serveSandbox(dir, 'tools', [], { [TOKEN_ENV]: token });
      return { url: served.url, token, stop: () => served.stop() };
    },
  ],
];

function providerYaml(endpoint: string): string {
  return `apiVersion: roster/v1
kind: Provider
metadata: { name: tools }
spec:
  type: scim
  endpoint: ${endpoint}
  credentials: { token: "\${env:${TOKEN_ENV}}" }
  serviceAccounts: { attribute: userType, value: Service }
  pageSize: 7
`;
}

const GROUPS = `apiVersion: roster/v1
kind: Group
metadata: { name: integrations, provider: tools }
spec: { displayName: Integrations }
---
apiVersion: roster/v1
kind: Group
metadata: { name: backups, provider: tools }
spec: { displayName: Backups }
`;

function account(displayName: string, groups: string[], extra = ''): string {
  return `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: backup-bot, provider: tools, labels: { owner: it-ops, purpose: backup } }
spec:
  userName: svc-backup
  displayName: ${displayName}
  emails: [{ value: svc-backup@example.com, primary: true }]
  active: true
  groups: [${groups.map((g) => `{ ref: ${g} }`).join(', ')}]
${extra}`;
}

describe.each(targets)('SCIM provider against %s', (_name, start) => {
  let target: Target;
  let dir: string;
  let env: Record<string, string>;
  let api: (method: string, p: string, body?: unknown) => Promise<{ status: number; body: ScimJson }>;
  const run = (args: string[]) => roster(args, { cwd: dir, env });
  const write = (files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  };
  const user = async (userName: string) =>
    (await api('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).body
      .Resources?.[0];
  const membersOf = async (displayName: string): Promise<string[]> => {
    const all = (await api('GET', '/Groups?count=100')).body.Resources as ScimJson[];
    const g = all.find((x) => x.displayName === displayName);
    return ((g?.members ?? []) as Array<{ value: string }>).map((m) => m.value);
  };

  beforeAll(async () => {
    target = await start();
    env = { [TOKEN_ENV]: target.token };
    api = async (method, p, body) => {
      const res = await fetch(`${target.url}${p}`, {
        method,
        headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/scim+json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    // More service users than scimmy's default page of 20, and people roster must leave alone.
    for (let i = 1; i <= 23; i++) {
      const r = await api('POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `svc-seed-${String(i).padStart(2, '0')}`,
        userType: 'Service',
        active: true,
      });
      expect(r.status).toBe(201);
    }
    for (const person of ['ada', 'grace'])
      await api('POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: person,
        userType: 'Employee',
      });
    dir = project({ 'provider.yaml': providerYaml(target.url) });
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('exports every service user it holds (paged past 20), and the export plans no change', async () => {
    const exported = await run(['export', '--provider', 'tools', '--kind', 'ServiceAccount', '--out', '.']);
    expect(exported.code, exported.stderr).toBe(0);
    const plan = await run(['plan', '--allow-empty-state', '--format', 'json']);
    expect(plan.code, plan.stderr).toBe(0);
    const changes = (JSON.parse(plan.stdout) as { changes: Array<{ address: string; action: string }> })
      .changes;
    expect(changes.filter((c) => c.action === 'import')).toHaveLength(23);
    expect(changes.filter((c) => c.action !== 'import' && c.action !== 'no-op')).toEqual([]);
    expect((await run(['apply', '--auto-approve'])).code).toBe(0);
    expect((await run(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('creates a service account in two groups, and reads it back with no diff', async () => {
    write({ 'groups.yaml': GROUPS, 'bot.yaml': account('Backup integration', ['integrations', 'backups']) });
    const apply = await run(['apply', '--auto-approve']);
    expect(apply.code, apply.stderr).toBe(0);
    const plan = await run(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stdout).toBe(0);
    const made = await user('svc-backup');
    expect(made).toMatchObject({
      userName: 'svc-backup',
      displayName: 'Backup integration',
      userType: 'Service',
    });
    expect(await membersOf('Integrations')).toEqual([made.id]);
    expect(await membersOf('Backups')).toEqual([made.id]);
  });

  it('updates it and changes its membership, leaving other members alone', async () => {
    const person = await user('ada');
    const g = (await api('GET', '/Groups?count=100')).body.Resources.find(
      (x: ScimJson) => x.displayName === 'Backups',
    );
    const added = await api('PATCH', `/Groups/${g.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: person.id }] }],
    });
    expect([200, 204]).toContain(added.status);
    write({ 'bot.yaml': account('Backup integration v2', ['integrations']) });
    const apply = await run(['apply', '--auto-approve']);
    expect(apply.code, apply.stderr).toBe(0);
    expect((await run(['plan', '--detailed-exitcode'])).code).toBe(0);
    const bot = await user('svc-backup');
    expect(bot.displayName).toBe('Backup integration v2');
    expect(await membersOf('Backups')).toEqual([person.id]);
    expect(await membersOf('Integrations')).toEqual([bot.id]);
  });

  it('reports a change made behind its back as drift, and puts it back', async () => {
    const bot = await user('svc-backup');
    const r = await api('PATCH', `/Users/${bot.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'displayName', value: 'changed by hand' }],
    });
    expect([200, 204]).toContain(r.status);
    const drift = await run(['drift']);
    expect(drift.code, drift.stderr).toBe(2);
    expect(drift.stdout).toContain('changed by hand');
    expect((await run(['apply', '--auto-approve'])).code).toBe(0);
    expect((await user('svc-backup')).displayName).toBe('Backup integration v2');
  });

  it('deactivates a service account removed from the manifests', async () => {
    write({ 'bot.yaml': '' });
    const plan = await run(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('1 to deactivate');
    expect((await run(['apply', '--auto-approve'])).code).toBe(0);
    expect((await user('svc-backup')).active).toBe(false);
    expect((await run(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('takes a PATCH that changes nothing (200 with the resource, or 204) as done', async () => {
    const client = new ScimClient({
      endpoint: target.url,
      auth: { token: new Secret(target.token, `env:${TOKEN_ENV}`) },
      pageSize: 5,
    });
    const seeded = await user('svc-seed-02');
    const same = await client.patch(
      `/Users/${seeded.id}`,
      [{ op: 'replace', path: 'active', value: true }],
      'set active again',
    );
    expect(same.resource).toMatchObject({ id: seeded.id, userName: 'svc-seed-02', active: true });
    expect(await client.list('/Users', 'list the users')).toHaveLength(26);
  });
});
