import { type KindDefinition, makeWorld, type WorldResource } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { serviceAccountPermissions } from './checks.js';

const at = (kind: string, name: string, attributes: Record<string, unknown>): WorldResource => ({
  address: `at/${kind}/${name}`,
  provider: 'at',
  providerType: 'autotask',
  kind,
  name,
  naturalKey: String(attributes.name ?? attributes.email ?? name),
  labels: {},
  attributes,
});

const kinds: Record<string, KindDefinition | undefined> = {
  ServiceAccount: { permissions: serviceAccountPermissions } as KindDefinition,
};

describe('effective permissions of an API user', () => {
  it('come through its security level (via), costs included when the level descends from the cost-reading one', () => {
    const base = at('SecurityLevel', 'base', {
      name: 'Base',
      copiedFrom: 'API User (system) (API-only)',
      permissions: {},
    });
    const level = at('SecurityLevel', 'alerts', {
      name: 'Alerts',
      copiedFrom: 'Base',
      permissions: { 'CRM › Account & Contact Access': 'All', 'Service Desk › Tickets': ['View', 'Edit'] },
    });
    const user = at('ServiceAccount', 'op', { email: 'op@example.com', securityLevel: { ref: 'alerts' } });
    const world = makeWorld([base, level, user], (_p, k) => kinds[k]);
    const via = ['at/SecurityLevel/alerts'];
    expect(world.permissionsOf(user)).toEqual([
      { name: 'CRM › Account & Contact Access: All', via },
      { name: 'Costs: View', via },
      { name: 'Service Desk › Tickets: Edit', via },
      { name: 'Service Desk › Tickets: View', via },
    ]);
  });

  it('are none for an inactive user or an undeclared level', () => {
    const level = at('SecurityLevel', 'l', {
      name: 'L',
      permissions: { 'Service Desk › Tickets': ['View'] },
    });
    const inactive = at('ServiceAccount', 'a', { securityLevel: { ref: 'l' }, active: false });
    const elsewhere = at('ServiceAccount', 'b', { securityLevel: { ref: 'Made by hand' } });
    const world = makeWorld([level, inactive, elsewhere], (_p, k) => kinds[k]);
    expect(world.permissionsOf(inactive)).toEqual([]);
    expect(world.permissionsOf(elsewhere)).toEqual([]);
  });
});
