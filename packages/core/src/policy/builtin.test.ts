import { describe, expect, it } from 'vitest';
import type { WorldResource } from '../permissions/types.js';
import { makeWorld } from '../permissions/world.js';
import { Secret } from '../secret.js';
import { BUILTIN_POLICIES } from './builtin.js';

const personalEmail = BUILTIN_POLICIES.find((r) => r.id === 'personal-email')!;

const account = (name: string, attributes: Record<string, unknown>): WorldResource => ({
  address: `p/ServiceAccount/${name}`,
  provider: 'p',
  providerType: 't',
  kind: 'ServiceAccount',
  name,
  naturalKey: name,
  labels: {},
  attributes,
});

function hits(resources: WorldResource[]) {
  const world = makeWorld(resources, () => undefined);
  return personalEmail.evaluate({
    world,
    desired: resources,
    permissionsOf: () => [],
    state: { version: 1, lineage: 'l', serial: 0, resources: {} } as never,
    now: new Date(),
    kindOf: () => undefined,
    options: {},
  });
}

describe('personal-email', () => {
  it('points at the first personal address, depth first, with the pointer escaped', () => {
    const found = hits([
      account('a', {
        email: 'team@example.com',
        secret: new Secret('jane.doe@example.com', 'env:X'),
        contacts: [{ note: 'no mail' }, { 'a/b~c': ['x', 'jane.doe@example.com'] }],
        other: 'john.roe@example.com',
      }),
      account('b', { email: 'integrations@example.com', names: ['jane.doe'] }),
    ]);
    expect(found).toEqual([
      {
        address: 'p/ServiceAccount/a',
        message:
          "jane.doe@example.com looks like a person's own mailbox: use a dedicated or team address for a service account",
        pointer: '/spec/contacts/1/a~1b~0c/1',
      },
    ]);
  });
});
