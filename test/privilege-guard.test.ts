import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyExample, editFile, lineOfIn, serveSandbox } from './helpers.js';
import { IntacctApi } from './intacct-api.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

const BI = 'intacct-sandbox/ServiceAccount/bi-export';

/** The key of the first object of `object` whose `id` is `id`, through the query service. */
async function keyOf(api: IntacctApi, object: string, id: string): Promise<string> {
  const r = await api.call('POST', '/services/core/query', {
    object,
    fields: ['key', 'id'],
    filters: [{ $eq: { id } }],
  });
  const rows = (r.json as { 'ia::result': Array<{ key: string }> })['ia::result'];
  if (!rows[0]) throw new Error(`no ${object} ${id}`);
  return rows[0].key;
}

/**
 * The attack roster exists to catch: the quickstart applied, bi-export (whose manifest declares no
 * roles and, here, no admin privileges) is made an administrator through the system's own API, and
 * put in a group by hand.
 */
async function attacked(): Promise<string> {
  const dir = copyExample('quickstart');
  const accounts = path.join(dir, 'service-accounts.yaml');
  // bi-export leaves adminPrivileges out too: an absent privilege means none, like roles.
  const bi = lineOfIn(accounts, 'id: WS_BI_EXPORT');
  editFile(accounts, /(id: WS_BI_EXPORT[\s\S]*?)\n {2}adminPrivileges: off/, '$1');
  expect(lineOfIn(accounts, 'id: WS_BI_EXPORT')).toBe(bi);
  const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
  expect(apply.code, apply.stderr).toBe(0);

  const server = await serveSandbox(dir, 'intacct-sandbox');
  try {
    const api = new IntacctApi(server.url);
    const admin = await keyOf(api, 'company-config/role', '::SYS::Administrator');
    await api.patchUser('WS_BI_EXPORT', { roles: [{ key: admin }], adminPrivileges: 'full' });
    const created = await api.call('POST', '/objects/company-config/user-group', {
      id: 'Finance admins',
      description: 'made by hand',
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const group = (created.json as { 'ia::result': { key: string } })['ia::result'].key;
    const member = await api.call('POST', '/objects/company-config/user-group-member', {
      userGroup: { key: group },
      user: { key: await api.userKey('WS_BI_EXPORT') },
    });
    expect(member.status, JSON.stringify(member.json)).toBe(201);
  } finally {
    await server.stop();
  }
  return dir;
}

describe('privilege attributes are always guarded (Intacct quickstart)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await attacked();
  }, 120_000);

  it('drift names roles, groups and adminPrivileges added by hand, and who changed them; exit 2', async () => {
    const text = await roster(['drift', '--no-unmanaged'], { cwd: dir });
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toMatch(new RegExp(`# ${BI} was changed outside roster by Admin at `));
    expect(text.stdout).toContain('~ adminPrivileges: "off" → "full"');
    expect(text.stdout).toContain('~ roles: [] → [ref:::SYS::Administrator]');
    expect(text.stdout).toContain('~ groups: [ref:Integrations] → [ref:Finance admins, ref:Integrations]');

    const json = JSON.parse(
      (await roster(['drift', '--format', 'json', '--no-unmanaged'], { cwd: dir })).stdout,
    ) as {
      drift: Array<{ address: string; attributes: Array<{ path: string }>; modifiedBy?: string }>;
    };
    const entry = json.drift.find((d) => d.address === BI);
    expect(entry?.attributes.map((a) => a.path)).toEqual(['/adminPrivileges', '/groups', '/roles']);
    expect(entry?.modifiedBy).toBe('Admin');
  });

  it('plan puts every right back, shows the real rights before, and exits 2; apply leaves no drift', async () => {
    const plan = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain(`# ${BI} will be updated in place`);
    expect(plan.stdout).toMatch(/~ roles += \[ref:::SYS::Administrator\] → \[\]/);
    expect(plan.stdout).toMatch(
      /~ groups += \[ref:Finance admins, ref:Integrations\] → \[ref:Integrations\]/,
    );
    expect(plan.stdout).toMatch(/~ adminPrivileges = "full" → "off"/);
    // The effective permissions are the account's real ones (what the system reports), not the manifest's.
    const effective = plan.stdout.slice(plan.stdout.indexOf('Effective permissions that change:'));
    expect(effective).toContain('- Company › Admin privileges: full');
    expect(effective).toContain(
      '- role ::SYS::Administrator (not declared here: its rights are unknown to roster)',
    );
    expect(effective).toContain(
      '- user group Finance admins (not declared here: its rights are unknown to roster)',
    );

    const json = JSON.parse((await roster(['plan', '--format', 'json'], { cwd: dir })).stdout) as {
      changes: Array<{
        address: string;
        action: string;
        before: Record<string, unknown>;
        after: Record<string, unknown>;
      }>;
    };
    const change = json.changes.find((c) => c.address === BI);
    expect(change?.action).toBe('update');
    expect(change?.after).toMatchObject({
      roles: [],
      adminPrivileges: 'off',
      groups: [{ ref: 'Integrations' }],
    });
    expect(change?.before.roles).toEqual([{ ref: '::SYS::Administrator' }]);

    const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.code, apply.stderr).toBe(0);
    const drift = await roster(['drift', '--no-unmanaged'], { cwd: dir });
    expect(drift.code, drift.stdout).toBe(0);
    const again = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(again.code, again.stdout).toBe(0);
  });

  it('deleting a groups: line in a pull request plans the removal of that access', async () => {
    const accounts = path.join(dir, 'service-accounts.yaml');
    editFile(accounts, /(id: WS_BI_EXPORT[\s\S]*?)\n {2}groups: \[\{ ref: integrations \}\]/, '$1');
    const plan = await roster(['plan', '--detailed-exitcode', '--format', 'json'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(2);
    const change = (
      JSON.parse(plan.stdout) as { changes: Array<{ address: string; after: { groups?: unknown } }> }
    ).changes.find((c) => c.address === BI);
    expect(change?.after.groups).toEqual([]);
  });

  it('lifecycle.ignoreChanges leaves one unmanaged, with a warning at its line in every plan', async () => {
    const accounts = path.join(dir, 'service-accounts.yaml');
    editFile(
      accounts,
      /(id: WS_BI_EXPORT[\s\S]*?status: active)/,
      '$1\nlifecycle:\n  ignoreChanges: [groups]',
    );
    const line = lineOfIn(accounts, 'ignoreChanges: [groups]');
    const plan = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stderr + plan.stdout).toContain(
      `service-accounts.yaml:${line}:19: warning[lifecycle.ignored-privilege]: groups of ${BI} is not managed (lifecycle.ignoreChanges)`,
    );

    editFile(accounts, 'ignoreChanges: [groups]', 'ignoreChanges: [grops]');
    const typo = await roster(['plan'], { cwd: dir });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(
      `service-accounts.yaml:${line}:19: error[manifest.lifecycle]: lifecycle.ignoreChanges:`,
    );
    expect(typo.stderr).toContain('did you mean groups?');
  });
});
