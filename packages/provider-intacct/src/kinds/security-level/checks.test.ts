import { describe, expect, it } from 'vitest';
import { useCompany } from '../company.testing.js';
import { securityLevelKind } from './index.js';

const company = useCompany();

describe('validate: permissions against the company catalogue', () => {
  const resource = (name: string, permissions: Record<string, unknown>) => ({
    address: `books/SecurityLevel/${name}`,
    kind: 'SecurityLevel',
    name,
    labels: {},
    spec: { name, permissions },
  });

  it('places unknown permissions and disallowed rights at their pointers, accepting the view/edit aliases', async () => {
    const good = resource('good', { 'accountsPayable/bills': ['list', 'view', 'edit'] });
    const bad = resource('bad', {
      'accountsPayable/bill': ['list'],
      'generalLedger/accounts': ['list', 'view', 'post'],
      'accounts-payable/vendor': ['list'],
    });
    const result = await company.conn.validate({ resources: [good, bad] });
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'intacct.unknown-permission',
        message:
          'accountsPayable/bill is not a permission of this Intacct company (company-config/permission); closest: accountsPayable/bills, accountsPayable/payBills, accountsPayable/apTerms',
        address: 'books/SecurityLevel/bad',
        path: '/permissions/accountsPayable~1bill',
      },
      {
        severity: 'error',
        code: 'intacct.access-right-not-allowed',
        message:
          'generalLedger/accounts does not allow post: its allowed access rights are list, readonly, add, modify, delete; closest: list, add, delete',
        address: 'books/SecurityLevel/bad',
        path: '/permissions/generalLedger~1accounts/2',
      },
    ]);
    // Validation reads; it never rewrites what it is given.
    expect(good.spec.permissions).toEqual({ 'accountsPayable/bills': ['list', 'view', 'edit'] });
  });

  it("the permissions attribute writes view/edit as Intacct's readonly/modify before the diff", () => {
    const normalize = securityLevelKind.attributes.permissions!.normalize!;
    const declared = {
      'accountsPayable/bills': ['list', 'view', 'edit'],
      'generalLedger/accounts': ['list'],
    };
    expect(normalize(declared)).toEqual({
      'accountsPayable/bills': ['list', 'readonly', 'modify'],
      'generalLedger/accounts': ['list'],
    });
    expect(declared['accountsPayable/bills']).toEqual(['list', 'view', 'edit']);
    for (const odd of [undefined, 'x', ['a'], { a: 'list' }]) expect(normalize(odd)).toEqual(odd);
  });
});
