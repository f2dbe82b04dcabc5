import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contractChecker,
  loadWireContract,
  startRecordingProxy,
} from '../packages/sim-kit/src/wire-contract.js';
import { project, roster, serveSandbox } from './helpers.js';
import { IntacctApi } from './intacct-api.js';

/** Sage's OpenAPI document, as transcribed for the provider's contract test. */
const vendor = contractChecker(
  loadWireContract(
    new URL('../packages/provider-intacct/src/contract/intacct.wire-contract.json', import.meta.url),
  ),
);

const provider = `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec: { type: intacct, endpoint: sandbox, companyId: demo-co }
`;

const roles = (permissions: string) => `apiVersion: roster/v1
kind: SecurityLevel
metadata: { name: ap-entry, provider: books }
spec:
  name: AP Entry
  permissions:
${permissions}`;

const AP_ENTRY = `    accountsPayable/bills: [list, readonly, add, modify]
    accountsPayable/vendors: [list, view]
`;

/** `line:column` (1-based) where `text` first appears: a diagnostic at a permission points at its value. */
function where(content: string, text: string): string {
  const lines = content.split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  return `${i + 1}:${lines[i]!.indexOf(text) + 1}`;
}

describe('Intacct permissions as company-config/permission names them', () => {
  it('creates a role with <module>/<name> permissions, reads it back with no diff, drift-checks and exports it', async () => {
    const dir = project({ 'p.yaml': provider, 'r.yaml': roles(AP_ENTRY) });
    const applied = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(applied.code, applied.stderr).toBe(0);
    // `view` is Intacct's `readonly`: no change once applied.
    const again = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await roster(['drift'], { cwd: dir })).code).toBe(0);

    const server = await serveSandbox(dir, 'books');
    // Every request below goes through a recording proxy and is checked against the vendor schema.
    const proxy = await startRecordingProxy(server.url);
    try {
      const api = new IntacctApi(proxy.url);
      const q = await api.call('POST', '/services/core/query', {
        object: 'company-config/role',
        fields: ['key'],
        filters: [{ $eq: { id: 'AP Entry' } }],
      });
      const key = (q.json as { 'ia::result': Array<{ key: string }> })['ia::result'][0]!.key;
      const role = (await api.call('GET', `/objects/company-config/role/${key}`)).json as {
        'ia::result': {
          rolePermissionAssignments: Array<{ permission: Record<string, string>; accessRights: string[] }>;
        };
      };
      // Sent as {permission: {key}}, read back as Intacct shows a permission reference.
      expect(role['ia::result'].rolePermissionAssignments.map((a) => [a.permission, a.accessRights])).toEqual(
        [
          [
            {
              key: '3295',
              id: '3295',
              module: 'accountsPayable',
              name: 'bills',
              href: '/objects/company-config/permission/3295',
            },
            ['list', 'readonly', 'add', 'modify'],
          ],
          [
            {
              key: '3296',
              id: '3296',
              module: 'accountsPayable',
              name: 'vendors',
              href: '/objects/company-config/permission/3296',
            },
            ['list', 'readonly'],
          ],
        ],
      );
      // Someone gives the role Delete on vendors by hand.
      const patched = await api.call('PATCH', `/objects/company-config/role/${key}`, {
        rolePermissionAssignments: [
          { permission: { key: '3295' }, accessRights: ['list', 'readonly', 'add', 'modify'] },
          { permission: { key: '3296' }, accessRights: ['list', 'readonly', 'delete'] },
        ],
      });
      expect(patched.status).toBe(200);
      expect(proxy.exchanges.map((x) => `${x.method} ${x.status}`)).toEqual([
        'POST 200',
        'POST 200',
        'GET 200',
        'PATCH 200',
      ]);
      expect(vendor.check(proxy.exchanges)).toEqual([]);
    } finally {
      await proxy.close();
      await server.stop();
    }
    const drift = await roster(['drift'], { cwd: dir });
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain('books/SecurityLevel/ap-entry');
    expect(drift.stdout).toContain('delete');
    const plan = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('accountsPayable/vendors');

    const exported = await roster(['export', '--provider', 'books', '--kind', 'SecurityLevel'], { cwd: dir });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('accountsPayable/bills: [list, readonly, add, modify]');
    expect(exported.stdout).toContain('accountsPayable/vendors: [list, readonly, delete]');
  });

  it('names an unknown permission, a right it does not allow and the old form at their lines, with what to write', async () => {
    const content = roles(`    accountsPayable/bill: [list]
    generalLedger/accounts: [list, post]
`);
    const dir = project({ 'p.yaml': provider, 'r.yaml': content });
    // A fresh project (no state yet): --allow-empty-state, so the plan reads the permission catalogue.
    const r = await roster(['plan', '--allow-empty-state'], { cwd: dir });
    expect(r.code).toBe(1);
    const file = path.join(dir, 'r.yaml');
    expect(r.stderr).toContain(
      `r.yaml:${where(content, '[list]')}: error[intacct.unknown-permission]: accountsPayable/bill is not a permission of this Intacct company (company-config/permission); closest: accountsPayable/bills, `,
    );
    expect(r.stderr).toMatch(
      new RegExp(
        `r\\.yaml:${where(content, 'post')}: error\\[intacct\\.access-right-not-allowed\\]: generalLedger/accounts does not allow post: its allowed access rights are list, readonly, add, modify, delete`,
      ),
    );

    const old = roles('    accounts-payable/bill: [list, view, add, edit]\n');
    writeFileSync(file, old);
    const v = await roster(['validate'], { cwd: dir });
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(
      `r.yaml:${where(old, '[list, view')}: error[intacct.permission-old-form]: accounts-payable/bill is the old form; Intacct names this permission accountsPayable/bills`,
    );
  });
});
