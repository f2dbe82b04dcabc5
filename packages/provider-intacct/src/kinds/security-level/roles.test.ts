import { describe, expect, it } from 'vitest';
import { PermissionCatalogue } from '../../client/permission-catalogue.js';
import { securityLevelKind } from './index.js';
import { permissionsToIntacct, permissionsToSpec } from './roles.js';

describe('permissions', () => {
  const catalogue = new PermissionCatalogue([
    {
      key: '3295',
      module: 'accountsPayable',
      name: 'bills',
      allowedAccessRights: ['list', 'readonly', 'add', 'modify', 'delete'],
    },
    { key: '3306', module: 'generalLedger', name: 'accounts', allowedAccessRights: ['list', 'readonly'] },
  ]);

  it('sends each <module>/<name> as its catalogue key, with view and edit as readonly and modify', () => {
    const wire = permissionsToIntacct(
      {
        'generalLedger/accounts': ['view', 'list'],
        'accountsPayable/bills': ['delete', 'edit', 'add', 'modify'],
      },
      catalogue,
    );
    expect(wire).toEqual([
      { permission: { key: '3295' }, accessRights: ['add', 'modify', 'delete'] },
      { permission: { key: '3306' }, accessRights: ['list', 'readonly'] },
    ]);
    expect(() => permissionsToIntacct({ 'accountsPayable/bill': ['list'] }, catalogue)).toThrow(
      'accountsPayable/bill is not a permission of this Intacct company',
    );
    expect(() => permissionsToIntacct({ 'accounts-payable/bill': ['list'] }, catalogue)).toThrow(
      'accounts-payable/bill is the old form; Intacct names this permission accountsPayable/bills',
    );
  });

  it('reads assignments back with Intacct rights, the usual five first', () => {
    expect(
      permissionsToSpec([
        { permission: 'accountsPayable/bills', accessRights: ['void', 'modify', 'list'] },
        { permission: 'generalLedger/accounts', accessRights: ['readonly', 'list'] },
      ]),
    ).toEqual({
      'accountsPayable/bills': ['list', 'modify', 'void'],
      'generalLedger/accounts': ['list', 'readonly'],
    });
  });

  it('reports the old <application>/<object> form at the permission, naming the new form', () => {
    expect(
      securityLevelKind.check({
        name: 'x',
        spec: {
          name: 'X',
          permissions: { 'accounts-payable/bill': ['list'], 'accountsPayable/vendors': ['list'] },
        },
      }).diagnostics,
    ).toEqual([
      {
        severity: 'error',
        code: 'intacct.permission-old-form',
        message: expect.stringContaining(
          'accounts-payable/bill is the old form; Intacct names this permission accountsPayable/bills',
        ),
        path: '/permissions/accounts-payable~1bill',
      },
    ]);
  });
});
