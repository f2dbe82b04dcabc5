import { type KindDefinition, makeWorld } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { at } from '../../world.testing.js';
import { serviceAccountPermissions } from './checks.js';
import { serviceAccountKind } from './index.js';

const spec = {
  id: 'WS_X',
  email: 'ws_x@example.com',
  contact: { firstName: 'Web', lastName: 'X', email: 'ws_x@example.com' },
};

const kinds: Record<string, KindDefinition | undefined> = {
  ServiceAccount: { permissions: serviceAccountPermissions } as KindDefinition,
};

describe('effective permissions of a web services user', () => {
  const ap = at('SecurityLevel', 'ap', {
    name: 'AP',
    permissions: { 'accountsPayable/bills': ['list', 'view', 'edit'] },
  });
  const admin = at('SecurityLevel', 'admin', {
    name: 'Users',
    permissions: { 'company/users': ['list', 'modify'] },
  });
  const group = at('Group', 'g', { name: 'G', roles: [{ ref: 'admin' }] });

  it('names <module>/<name>: <right> as Intacct does, and flags rights over users as escalation', () => {
    const user = at('ServiceAccount', 'u', { id: 'WS_U', roles: [{ ref: 'ap' }], groups: [{ ref: 'g' }] });
    const world = makeWorld([ap, admin, group, user], (_p, k) => kinds[k]);
    // via: the role held directly; for a group's role, the group then the role.
    const direct = ['books/SecurityLevel/ap'];
    const throughGroup = ['books/Group/g', 'books/SecurityLevel/admin'];
    expect(world.permissionsOf(user)).toEqual([
      { name: 'accountsPayable/bills: list', pointer: '/spec/roles/0', via: direct },
      { name: 'accountsPayable/bills: modify', pointer: '/spec/roles/0', via: direct },
      { name: 'accountsPayable/bills: readonly', pointer: '/spec/roles/0', via: direct },
      { name: 'company/users: list', pointer: '/spec/groups/0', via: throughGroup },
      { name: 'company/users: modify', escalates: true, pointer: '/spec/groups/0', via: throughGroup },
    ]);
  });

  it('gives admin privileges no path (a field of the user), and a group role no manifest declares its group', () => {
    const hand = at('Group', 'h', { name: 'H', roles: [{ ref: 'Made by hand' }] });
    const user = at('ServiceAccount', 'u', { id: 'WS_U', adminPrivileges: 'full', groups: [{ ref: 'h' }] });
    const world = makeWorld([hand, user], (_p, k) => kinds[k]);
    expect(world.permissionsOf(user)).toEqual([
      { name: 'Company › Admin privileges: full' },
      {
        name: 'role Made by hand (not declared here: its rights are unknown to roster)',
        via: ['books/Group/h'],
      },
    ]);
  });

  it('shows roles and groups no manifest declares (a system role granted by hand), the Administrator as escalation', () => {
    const user = at('ServiceAccount', 'u', {
      id: 'WS_U',
      roles: [{ ref: '::SYS::Administrator' }, { ref: 'Made by hand' }],
      groups: [{ ref: 'Finance admins' }],
    });
    const world = makeWorld([user], (_p, k) => kinds[k]);
    expect(world.permissionsOf(user)).toEqual([
      {
        name: 'role ::SYS::Administrator (not declared here: its rights are unknown to roster)',
        escalates: true,
      },
      { name: 'role Made by hand (not declared here: its rights are unknown to roster)' },
      { name: 'user group Finance admins (not declared here: its rights are unknown to roster)' },
    ]);
  });
});

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
});
