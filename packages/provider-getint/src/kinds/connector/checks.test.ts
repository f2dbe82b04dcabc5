import {
  type KindDefinition,
  makeWorld,
  type Permission,
  type PermissionsRequest,
  type WorldResource,
} from '@roster/core';
import { describe, expect, it } from 'vitest';
import { connectorPermissions } from './checks.js';

const at = (
  provider: string,
  kind: string,
  name: string,
  attributes: Record<string, unknown>,
): WorldResource => ({
  address: `${provider}/${kind}/${name}`,
  provider,
  providerType: provider === 'getint' ? 'getint' : 'autotask',
  kind,
  name,
  naturalKey: name,
  labels: {},
  attributes,
});

// The Autotask account's own rule stands in for any provider's: a permission with its own path.
const accountPermissions = (_req: PermissionsRequest): Permission[] => [
  { name: 'Service Desk › Tickets: Edit', via: ['autotask-prod/SecurityLevel/alerts-api'] },
  { name: 'Costs: View' },
];
const kinds: Record<string, KindDefinition | undefined> = {
  ServiceAccount: { permissions: accountPermissions } as KindDefinition,
  Connector: { permissions: connectorPermissions } as KindDefinition,
};

describe('effective permissions of a Getint connection', () => {
  it("are its account's, named by provider, via the account and then the account's own path", () => {
    const account = at('autotask-prod', 'ServiceAccount', 'office-protect', {});
    const link = at('getint', 'Connector', 'autotask-alerts', {
      account: { ref: 'autotask-prod/ServiceAccount/office-protect' },
    });
    const external = at('getint', 'Connector', 'jira', { account: 'svc@example.com' });
    const world = makeWorld([account, link, external], (_p, k) => kinds[k]);
    expect(world.permissionsOf(link)).toEqual([
      { name: 'autotask-prod: Costs: View', via: ['autotask-prod/ServiceAccount/office-protect'] },
      {
        name: 'autotask-prod: Service Desk › Tickets: Edit',
        via: ['autotask-prod/ServiceAccount/office-protect', 'autotask-prod/SecurityLevel/alerts-api'],
      },
    ]);
    // An account roster does not manage: its rights, and so the path, are unknown.
    expect(world.permissionsOf(external)).toEqual([]);
  });
});
