import { describe, expect, it } from 'vitest';
import { configSchema } from '../config.js';
import { permissionsToIntacct, permissionsToSpec } from '../remote/roles.js';
import { groupKind } from './group.js';
import { ACCESS_RIGHT_OF, securityLevelKind } from './security-level.js';
import { serviceAccountKind } from './service-account.js';

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
    expect(serviceAccountKind.attributes.id.immutable).toBe(true);
    expect(serviceAccountKind.attributes.roles).toMatchObject({ ref: 'SecurityLevel', set: true });
    expect(serviceAccountKind.attributes.groups).toMatchObject({ ref: 'Group', set: true });
    expect(serviceAccountKind.deactivation).toEqual({
      attribute: 'status',
      value: 'inactive',
      activeValue: 'active',
    });
    expect(serviceAccountKind.onRemoveOptions).toEqual(['deactivate', 'delete']);
    expect(Object.values(serviceAccountKind.capabilities)).toEqual(['api', 'api', 'api', 'api']);
    expect(securityLevelKind.naturalKey({ name: 'AP Sync' })).toBe('AP Sync');
    expect(groupKind.attributes.roles).toMatchObject({ ref: 'SecurityLevel', set: true });
  });
});

describe('permission words', () => {
  it('maps list, view, add, edit, delete to list, readonly, add, modify, delete and back', () => {
    expect(ACCESS_RIGHT_OF).toEqual({
      list: 'list',
      view: 'readonly',
      add: 'add',
      edit: 'modify',
      delete: 'delete',
    });
    const perms = {
      'general-ledger/account': ['view', 'list'],
      'accounts-payable/bill': ['delete', 'edit', 'add'],
    };
    const wire = permissionsToIntacct(perms);
    expect(wire).toEqual([
      { permission: { id: 'accounts-payable/bill' }, accessRights: ['add', 'modify', 'delete'] },
      { permission: { id: 'general-ledger/account' }, accessRights: ['list', 'readonly'] },
    ]);
    expect(
      permissionsToSpec(wire.map((w) => ({ permission: w.permission.id, accessRights: w.accessRights }))),
    ).toEqual({
      'accounts-payable/bill': ['add', 'edit', 'delete'],
      'general-ledger/account': ['list', 'view'],
    });
    // Rights roster has no word for are shown as Intacct names them, after the known ones.
    expect(
      permissionsToSpec([{ permission: 'time/timesheet', accessRights: ['approve', 'readonly'] }]),
    ).toEqual({
      'time/timesheet': ['view', 'approve'],
    });
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

  it('requires what Intacct requires', () => {
    expect(serviceAccountKind.schema.required).toEqual(['id', 'email', 'contact']);
    expect(groupKind.schema.required).toEqual(['name', 'description']);
    expect(configSchema.required).toEqual(['type', 'companyId']);
  });
});
