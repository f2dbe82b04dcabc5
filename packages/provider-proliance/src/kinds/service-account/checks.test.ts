import { type KindDefinition, makeWorld, type WorldResource } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { serviceAccountPermissions } from './checks.js';

const at = (kind: string, name: string, attributes: Record<string, unknown>): WorldResource => ({
  address: `proliance/${kind}/${name}`,
  provider: 'proliance',
  providerType: 'proliance',
  kind,
  name,
  naturalKey: String(attributes.name ?? attributes.accountName ?? name),
  labels: {},
  attributes,
});

const kinds: Record<string, KindDefinition | undefined> = {
  ServiceAccount: { permissions: serviceAccountPermissions } as KindDefinition,
};

describe('effective permissions of an integration account', () => {
  it("are its roles' rights, each via its role; Security Permissions escalates", () => {
    const sync = at('SecurityLevel', 'project-sync', {
      name: 'Project Sync',
      permissions: { Projects: ['Read', 'Update'] },
      securityPermissions: false,
    });
    const admin = at('SecurityLevel', 'admin', {
      name: 'Admin',
      permissions: { Organization: ['Read'] },
      securityPermissions: true,
    });
    const account = at('ServiceAccount', 'a', {
      accountName: 'procore-sync',
      roles: [{ ref: 'project-sync' }, { ref: 'admin' }, { ref: 'Made by hand' }],
    });
    const world = makeWorld([sync, admin, account], (_p, k) => kinds[k]);
    expect(world.permissionsOf(account)).toEqual([
      { name: 'Organization: Read', via: ['proliance/SecurityLevel/admin'] },
      { name: 'Projects: Read', via: ['proliance/SecurityLevel/project-sync'] },
      { name: 'Projects: Update', via: ['proliance/SecurityLevel/project-sync'] },
      {
        name: 'Security Permissions: change security roles (role Admin)',
        escalates: true,
        pointer: '/spec/roles/1',
        via: ['proliance/SecurityLevel/admin'],
      },
    ]);
    expect(
      world.permissionsOf({
        ...account,
        address: 'proliance/ServiceAccount/b',
        attributes: { ...account.attributes, active: false },
      }),
    ).toEqual([]);
  });
});
