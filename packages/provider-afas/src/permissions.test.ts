import { type KindDefinition, makeWorld, type WorldResource } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { serviceAccountPermissions } from './permissions.js';

const at = (
  provider: string,
  kind: string,
  name: string,
  attributes: Record<string, unknown>,
): WorldResource => ({
  address: `${provider}/${kind}/${name}`,
  provider,
  providerType: 'afas',
  kind,
  name,
  naturalKey: String(attributes.id ?? name),
  labels: {},
  attributes,
});

const kinds: Record<string, KindDefinition | undefined> = {
  ServiceAccount: { permissions: serviceAccountPermissions } as KindDefinition,
};

describe('serviceAccountPermissions', () => {
  it('grants the connectors of the token user’s groups and of Everybody, not blocked ones, within its provider', () => {
    const resources = [
      at('p', 'Group', 'finance', { id: 'Finance' }),
      at('p', 'Group', 'hr', { id: 'HR' }),
      at('p', 'Connector', 'ledger', {
        group: { ref: 'finance' },
        getConnectors: ['Ledger'],
        updateConnectors: ['Journal'],
      }),
      at('p', 'Connector', 'staff', { group: { ref: 'hr' }, getConnectors: ['Employees'] }),
      at('p', 'Connector', 'leave', {
        description: 'Leave app',
        group: { ref: 'Everybody' },
        getConnectors: ['Leave'],
      }),
      at('p', 'Connector', 'old', { group: { ref: 'finance' }, blocked: true, getConnectors: ['Old'] }),
      at('q', 'Group', 'finance', { id: 'Finance' }),
      at('q', 'Connector', 'other', { group: { ref: 'finance' }, getConnectors: ['Elsewhere'] }),
      at('p', 'ServiceAccount', 'sync', { groups: [{ ref: 'finance' }] }),
      at('p', 'ServiceAccount', 'none', { groups: [] }),
      at('p', 'ServiceAccount', 'off', { groups: [{ ref: 'finance' }], blocked: true }),
    ];
    const world = makeWorld(resources, (_p, kind) => kinds[kind]);
    const names = (name: string) =>
      world
        .permissionsOf(resources.find((r) => r.address === `p/ServiceAccount/${name}`)!)
        .map((p) => p.name);
    expect(names('sync')).toEqual([
      'GetConnector Leave: read (Leave app)',
      'GetConnector Ledger: read (ledger)',
      'UpdateConnector Journal: write (ledger)',
    ]);
    expect(names('none')).toEqual(['GetConnector Leave: read (Leave app)']);
    expect(names('off')).toEqual([]);
    // The path: the user group (when declared) then the app connector; Everybody is not declared here.
    const paths = world
      .permissionsOf(resources.find((r) => r.address === 'p/ServiceAccount/sync')!)
      .map((p) => [p.name, p.via]);
    expect(paths).toEqual([
      ['GetConnector Leave: read (Leave app)', ['p/Connector/leave']],
      ['GetConnector Ledger: read (ledger)', ['p/Group/finance', 'p/Connector/ledger']],
      ['UpdateConnector Journal: write (ledger)', ['p/Group/finance', 'p/Connector/ledger']],
    ]);
  });
});
