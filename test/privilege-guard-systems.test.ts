import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, editFile, serveSandbox } from './helpers.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

// The attack roster exists to catch, in the systems whose privileges can be read back: a right
// granted by hand — in a field the manifest declares or one it leaves out — shows up in drift and
// is planned back. (Autotask's security levels and Getint connections cannot be read by any API:
// there the guard is the attestation a person renews, covered by their guided tests.)

interface DriftJson {
  drift: Array<{ address: string; attributes: Array<{ path: string; expected: unknown; actual: unknown }> }>;
}
interface PlanJson {
  changes: Array<{
    address: string;
    action: string;
    after: Record<string, unknown> | null;
    execution: string;
  }>;
}

async function json<T>(args: string[], cwd: string): Promise<{ code: number; doc: T }> {
  const r = await roster([...args, '--format', 'json'], { cwd });
  return { code: r.code, doc: JSON.parse(r.stdout) as T };
}

/** An AfasToken header for the served sandbox, which takes any well-formed token as roster's. */
function afasToken(): string {
  const xml = '<token><version>1</version><data>hand-made-change</data></token>';
  return `AfasToken ${Buffer.from(xml).toString('base64')}`;
}

describe('privilege attributes are always guarded (AFAS Profit)', () => {
  it('Profit Windows switched on by hand (field left out) and a group added by hand: drift, then plan puts both back', async () => {
    const dir = copyExample('afas');
    const accounts = path.join(dir, 'service-accounts.yaml');
    // The manifest says nothing about Profit Windows: that means no Windows access.
    editFile(accounts, /\n {2}# InSite is enough[^\n]*\n {2}windows: false/, '');
    const first = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(first.code, first.stdout + first.stderr).toBe(0);

    const served = await serveSandbox(dir, 'afas-sandbox');
    try {
      const group = await fetch(`${served.url}/__sandbox/groups`, {
        method: 'POST',
        headers: served.headers,
        body: JSON.stringify({ id: 'FIN-ADMIN', description: 'Finance administrators' }),
      });
      expect(group.status).toBe(201);
      const member = await fetch(`${served.url}/__sandbox/groups/FIN-ADMIN/members/12345.WS-INVOICE-SYNC`, {
        method: 'PUT',
        headers: served.headers,
      });
      expect(member.status, await member.text()).toBe(200);
      const windows = await fetch(`${served.url}/ProfitRestServices/connectors/KnUser`, {
        method: 'PUT',
        headers: { authorization: afasToken(), 'content-type': 'application/json' },
        body: JSON.stringify({
          KnUser: { Element: { Fields: { UsId: '12345.WS-INVOICE-SYNC', MtCd: '1', Awin: true } } },
        }),
      });
      expect(windows.ok, await windows.text()).toBe(true);
    } finally {
      await served.stop();
    }

    const drift = await json<DriftJson>(['drift', '--no-unmanaged'], dir);
    expect(drift.code).toBe(2);
    const entry = drift.doc.drift.find((d) => d.address === 'afas-sandbox/ServiceAccount/ws-invoice-sync');
    expect(entry?.attributes).toEqual([
      {
        path: '/groups',
        expected: [{ ref: 'INV-APP' }],
        actual: expect.arrayContaining([{ ref: 'FIN-ADMIN' }, { ref: 'INV-APP' }]),
      },
      { path: '/windows', expected: false, actual: true },
    ]);

    const plan = await json<PlanJson>(['plan', '--detailed-exitcode'], dir);
    expect(plan.code).toBe(2);
    const change = plan.doc.changes.find((c) => c.address === 'afas-sandbox/ServiceAccount/ws-invoice-sync');
    expect(change).toMatchObject({
      action: 'update',
      after: { windows: false, groups: [{ ref: 'INV-APP' }] },
    });

    const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const clean = await roster(['drift', '--no-unmanaged'], { cwd: dir });
    expect(clean.code, clean.stdout).toBe(0);
  });
});

describe('privilege attributes are always guarded (Proliance)', () => {
  it('a security role given by hand to an account whose manifest declares none: drift, and a manual step to take it away', async () => {
    const dir = copyExample('proliance');
    const accounts = path.join(dir, 'integration.yaml');
    // The integration account declares no roles: that means none.
    editFile(accounts, /\n {2}roles: \[\{ ref: procore-sync \}\]/, '');
    const first = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(first.code, first.stdout + first.stderr).toBe(0);

    const served = await serveSandbox(dir, 'proliance');
    try {
      const list = (await (
        await fetch(`${served.url}/__sandbox/accounts`, { headers: served.headers })
      ).json()) as Array<{
        key: string;
        accountName: string;
      }>;
      const account = list.find((a) => a.accountName === 'procore-sync');
      expect(account).toBeDefined();
      const edit = await fetch(`${served.url}/__sandbox/accounts/${account!.key}`, {
        method: 'PATCH',
        headers: served.headers,
        body: JSON.stringify({ roles: ['Administrator'], by: 'jdoe' }),
      });
      expect(edit.status, await edit.text()).toBe(200);
      expect(
        (await fetch(`${served.url}/__sandbox/export`, { method: 'POST', headers: served.headers })).status,
      ).toBe(200);
    } finally {
      await served.stop();
    }

    const drift = await json<DriftJson>(['drift', '--no-unmanaged'], dir);
    expect(drift.code).toBe(2);
    const entry = drift.doc.drift.find((d) => d.address === 'proliance/ServiceAccount/procore');
    expect(entry?.attributes).toEqual([{ path: '/roles', expected: [], actual: [{ ref: 'Administrator' }] }]);

    const plan = await json<PlanJson>(['plan', '--detailed-exitcode'], dir);
    expect(plan.code).toBe(2);
    const change = plan.doc.changes.find((c) => c.address === 'proliance/ServiceAccount/procore');
    expect(change).toMatchObject({ action: 'update', execution: 'manual', after: { roles: [] } });

    const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const clean = await roster(['drift', '--no-unmanaged'], { cwd: dir });
    expect(clean.code, clean.stdout).toBe(0);
  });
});
