import { describe, expect, it } from 'vitest';
import type { Json } from '../../sandbox/api.testing.js';
import { byKey, useCompany } from '../company.testing.js';

const company = useCompany();
const { role } = company;

describe('SecurityLevel', () => {
  it('sends permissions by catalogue key and reads them back as <module>/<name>', async () => {
    const created = await role('AP Sync', {
      'accountsPayable/vendors': ['view', 'list'],
      'accountsPayable/bills': ['edit', 'list', 'add', 'readonly', 'delete', 'post'],
    });
    expect(created.attributes).toEqual({
      name: 'AP Sync',
      permissions: {
        'accountsPayable/bills': ['list', 'readonly', 'add', 'modify', 'delete', 'post'],
        'accountsPayable/vendors': ['list', 'readonly'],
      },
    });
    const wire = await company.api.ok('GET', `/objects/company-config/role/${created.id}`);
    expect(wire.rolePermissionAssignments.map((a: Json) => [a.permission, a.accessRights])).toEqual([
      [
        {
          key: '3295',
          id: '3295',
          module: 'accountsPayable',
          name: 'bills',
          href: '/objects/company-config/permission/3295',
        },
        ['list', 'readonly', 'add', 'modify', 'delete', 'post'],
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
    ]);
    expect(byKey((await company.conn.list({ kind: 'SecurityLevel' })).objects, 'AP Sync')).toEqual(created);
  });
});
