import { readFileSync } from 'node:fs';
import { kindCapabilities } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { PermissionCatalogue } from '../client/permission-catalogue.js';
import { configSchema } from '../config.js';
import { groupKind } from './group/index.js';
import { securityLevelKind } from './security-level/index.js';
import { permissionsToIntacct, permissionsToSpec } from './security-level/roles.js';
import { serviceAccountKind } from './service-account/index.js';

const spec = {
  id: 'WS_X',
  email: 'ws_x@example.com',
  contact: { firstName: 'Web', lastName: 'X', email: 'ws_x@example.com' },
};

describe('ServiceAccount checks', () => {
  it('refuses admin privileges on a non-business user, at /adminPrivileges', () => {
    const r = serviceAccountKind.check({
      name: 'x',
      spec: { ...spec, userType: 'employee', adminPrivileges: 'full' },
    });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'intacct.admin-privileges',
        path: '/adminPrivileges',
      }),
    ]);
    expect(r.diagnostics[0]!.message).toMatch(/Intacct allows admin privileges only for business users/);
    expect(
      serviceAccountKind.check({ name: 'x', spec: { ...spec, adminPrivileges: 'limited' } }).diagnostics,
    ).toEqual([]);
    expect(
      serviceAccountKind.check({ name: 'x', spec: { ...spec, userType: 'viewOnly', adminPrivileges: 'off' } })
        .diagnostics,
    ).toEqual([]);
  });

  it("warns when the e-mail differs from the contact's, naming both", () => {
    const r = serviceAccountKind.check({ name: 'm', spec: { ...spec, email: 'other@example.com' } });
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d).toMatchObject({ severity: 'warning', code: 'intacct.email-mismatch', path: '/email' });
    expect(d.message).toMatch(/other@example\.com.*ws_x@example\.com/);
    expect(
      serviceAccountKind.check({ name: 'm', spec: { ...spec, email: 'WS_X@example.com' } }).diagnostics,
    ).toEqual([]);
  });

  it('orders an e-mail change: the contact first, then the account', () => {
    const steps = serviceAccountKind.updateSteps({ changed: ['contact', 'email', 'userName'] });
    expect(steps).toHaveLength(2);
    expect(steps[0]).toMatch(/contact's primary e-mail/);
    expect(steps[1]).toMatch(/account e-mail/);
    expect(serviceAccountKind.updateSteps({ changed: ['email'] })).toEqual([]);
  });

  it('declares its rules as data', () => {
    expect(serviceAccountKind.naturalKey(spec)).toBe('WS_X');
    expect(serviceAccountKind.attributes.id?.immutable).toBe(true);
    expect(serviceAccountKind.attributes.roles).toMatchObject({ ref: 'SecurityLevel', set: true });
    expect(serviceAccountKind.attributes.groups).toMatchObject({ ref: 'Group', set: true });
    expect(serviceAccountKind.deactivation).toEqual({
      attribute: 'status',
      value: 'inactive',
      activeValue: 'active',
    });
    expect(serviceAccountKind.onRemoveOptions).toEqual(['deactivate', 'delete']);
    expect(kindCapabilities(serviceAccountKind)).toEqual({
      create: 'api',
      read: 'api',
      update: 'api',
      delete: 'api',
      rotate: 'manual',
    });
    expect(securityLevelKind.naturalKey({ name: 'AP Sync' })).toBe('AP Sync');
    expect(groupKind.attributes.roles).toMatchObject({ ref: 'SecurityLevel', set: true });
  });
});

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

/** Every property of every (sub)schema has a description; every object schema is closed. */
function walk(schema: unknown, where: string, problems: string[]): void {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  if (s.properties) {
    if (s.additionalProperties !== false) problems.push(`${where}: additionalProperties is not false`);
    for (const [k, v] of Object.entries(s.properties as Record<string, Record<string, unknown>>)) {
      if (typeof v.description !== 'string') problems.push(`${where}/${k}: no description`);
      walk(v, `${where}/${k}`, problems);
    }
  }
  if (s.items) walk(s.items, `${where}[]`, problems);
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    walk(s.additionalProperties, `${where}/*`, problems);
}

describe('schemas', () => {
  it.each([
    ['ServiceAccount', serviceAccountKind.schema],
    ['SecurityLevel', securityLevelKind.schema],
    ['Group', groupKind.schema],
    ['Provider', configSchema],
  ])('%s is a closed draft 2020-12 schema with a description on every property', (kind, schema) => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`https://roster.dev/schemas/intacct/${kind}.schema.json`);
    const problems: string[] = [];
    walk(schema, kind, problems);
    expect(problems).toEqual([]);
  });

  it.each([
    ['ServiceAccount', serviceAccountKind.schema],
    ['SecurityLevel', securityLevelKind.schema],
    ['Group', groupKind.schema],
  ])('%s, declared once with the spec builders, is the published schema byte for byte', (kind, schema) => {
    const published = readFileSync(
      new URL(`../../../../schemas/intacct/${kind}.schema.json`, import.meta.url),
      'utf8',
    );
    expect(`${JSON.stringify(schema, null, 2)}\n`).toBe(published);
  });

  it('requires what Intacct requires', () => {
    expect(serviceAccountKind.schema.required).toEqual(['id', 'email', 'contact']);
    expect(groupKind.schema.required).toEqual(['name', 'description']);
    expect(configSchema.required).toEqual(['type', 'companyId']);
  });
});
