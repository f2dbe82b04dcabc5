import { type KindDefinition, makeWorld, type PolicyContext, type WorldResource } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { intacctPolicies, serviceAccountPermissions } from './permissions.js';

const at = (kind: string, name: string, attributes: Record<string, unknown>): WorldResource => ({
  address: `books/${kind}/${name}`,
  provider: 'books',
  providerType: 'intacct',
  kind,
  name,
  naturalKey: String(attributes.id ?? attributes.name ?? name),
  labels: {},
  attributes,
});

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
    expect(world.permissionsOf(user)).toEqual([
      { name: 'accountsPayable/bills: list', pointer: '/spec/roles/0' },
      { name: 'accountsPayable/bills: modify', pointer: '/spec/roles/0' },
      { name: 'accountsPayable/bills: readonly', pointer: '/spec/roles/0' },
      { name: 'company/users: list', pointer: '/spec/groups/0' },
      { name: 'company/users: modify', escalates: true, pointer: '/spec/groups/0' },
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

describe('intacct.permission-old-form', () => {
  const rule = intacctPolicies.find((r) => r.id === 'intacct.permission-old-form')!;
  it('warns about a role whose state holds <application>/<object> keys, naming the new form', () => {
    const role = at('SecurityLevel', 'ap', {
      name: 'AP',
      permissions: { 'accountsPayable/bills': ['list'] },
    });
    const ctx = {
      world: makeWorld([role], () => undefined),
      desired: [role],
      state: {
        version: 1,
        lineage: 'l',
        serial: 1,
        resources: {
          'books/SecurityLevel/ap': {
            provider: 'books',
            kind: 'SecurityLevel',
            name: 'ap',
            id: '3',
            naturalKey: 'AP',
            attributes: { name: 'AP', permissions: { 'accounts-payable/bill': ['list', 'view'] } },
            dependencies: [],
          },
          'books/SecurityLevel/new': {
            provider: 'books',
            kind: 'SecurityLevel',
            name: 'new',
            id: '4',
            naturalKey: 'New',
            attributes: { name: 'New', permissions: { 'accountsPayable/vendors': ['list'] } },
            dependencies: [],
          },
        },
      },
    } as unknown as PolicyContext;
    expect(rule.severity).toBe('warning');
    expect(rule.evaluate(ctx)).toEqual([
      {
        address: 'books/SecurityLevel/ap',
        message: expect.stringContaining(
          'accounts-payable/bill is the old form; Intacct names this permission accountsPayable/bills',
        ),
      },
    ]);
  });
});
