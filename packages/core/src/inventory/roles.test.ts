import { describe, expect, it } from 'vitest';
import type { WorldResource } from '../permissions/types.js';
import { makeWorld } from '../permissions/world.js';
import { kindOf } from './fixture.testing.js';
import { heldRoles } from './roles.js';

const res = (kind: string, name: string, attributes: Record<string, unknown>): WorldResource => ({
  address: `books/${kind}/${name}`,
  provider: 'books',
  providerType: 'ledger',
  kind,
  name,
  naturalKey: String(attributes.id ?? name),
  labels: {},
  attributes,
});

describe('held roles', () => {
  it('names each referenced role or group as the system does, sorted; an unknown one as written', () => {
    const account = res('ServiceAccount', 'a', {
      id: 'A',
      roles: [{ ref: 'ap' }, { ref: 'GHOST' }, { ref: 'AP' }],
    });
    const world = makeWorld([account, res('Role', 'ap', { id: 'AP' })], kindOf);
    expect(heldRoles(account, world, kindOf)).toEqual(['AP', 'GHOST']);
  });

  it('ignores references to kinds that are not roles or groups', () => {
    const connection: WorldResource = {
      ...res('ServiceAccount', 'a', {}),
      provider: 'hub',
      kind: 'Connector',
      attributes: { account: { ref: 'books/ServiceAccount/a' } },
    };
    expect(heldRoles(connection, makeWorld([connection], kindOf), kindOf)).toEqual([]);
  });
});
