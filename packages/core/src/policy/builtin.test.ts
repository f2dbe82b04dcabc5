import { describe, expect, it } from 'vitest';
import type { WorldResource } from '../permissions/types.js';
import { makeWorld } from '../permissions/world.js';
import type { KindDefinition, KindRole } from '../provider.js';
import { Secret } from '../secret.js';
import { BUILTIN_POLICIES } from './builtin.js';

const personalEmail = BUILTIN_POLICIES.find((r) => r.id === 'personal-email')!;

const account = (
  name: string,
  attributes: Record<string, unknown>,
  kind = 'ServiceAccount',
): WorldResource => ({
  address: `p/${kind}/${name}`,
  provider: 'p',
  providerType: 't',
  kind,
  name,
  naturalKey: name,
  labels: {},
  attributes,
});

function hits(resources: WorldResource[]) {
  const world = makeWorld(resources, () => undefined);
  return personalEmail.evaluate!({
    world,
    desired: resources,
    permissionsOf: () => [],
    state: { version: 1, lineage: 'l', serial: 0, resources: {} } as never,
    now: new Date(),
    // Roles as provider `p` declares them: the rules go by role, never by a kind's name.
    kindOf: (provider, kind) => {
      const roles: Record<string, KindRole> = {
        ServiceAccount: 'account',
        ApiToken: 'account',
        Team: 'group',
      };
      return provider === 'p' && roles[kind] ? ({ role: roles[kind] } as KindDefinition) : undefined;
    },
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

  it('judges every kind whose role is account, whatever its name, and only those', () => {
    const found = hits([
      account('t', { email: 'jane.doe@example.com' }, 'ApiToken'),
      account('g', { email: 'john.roe@example.com' }, 'Team'),
      account('u', { email: 'mary.major@example.com' }, 'Unknown'),
    ]);
    expect(found.map((h) => h.address)).toEqual(['p/ApiToken/t']);
  });
});
