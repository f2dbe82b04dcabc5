import { describe, expect, it } from 'vitest';
import { kindOf, providers, world } from './fixture.testing.js';
import { inventoryPopulation } from './population.js';

const providerTypes = new Map([...providers.values()].map((p) => [p.name, p.provider.type]));

describe('the inventory population', () => {
  const { desired, state, remote } = world();
  const population = inventoryPopulation({ desired, state, remote, providerTypes, kindOf });

  it('lists every account and connection: managed, unmanaged, deactivated, known from state, gone', () => {
    expect(population.members.map((m) => [m.resource.address, m.role, m.status, m.seen, m.id])).toEqual([
      ['books/ServiceAccount/HAND', 'account', 'unmanaged', 'system', '9'],
      ['books/ServiceAccount/OLD', 'account', 'deactivated', 'system', '8'],
      ['books/ServiceAccount/clerk', 'account', 'managed', 'system', '1'],
      ['books/ServiceAccount/gone', 'account', 'managed', 'gone', '5'],
      ['hub/Connector/sync-ap', 'connector', 'managed', 'state', 'c-1'],
    ]);
  });

  it('leaves out objects listed with a conflict, and roles (they are in the world, not the population)', () => {
    const addresses = population.members.map((m) => m.resource.address);
    expect(addresses).not.toContain('books/ServiceAccount/admin');
    expect(population.world.get('books/Role/ap')?.naturalKey).toBe('AP');
    expect(population.world.get('books/Role/APPROVE')?.naturalKey).toBe('APPROVE');
  });

  it('resolves the roles of an unmanaged account, and a connection reaches the account it signs in as', () => {
    const of = (address: string) =>
      population.world.permissionsOf(population.world.get(address)!).map((p) => [p.name, p.via]);
    expect(of('books/ServiceAccount/HAND')).toEqual([
      ['bills: add', ['books/Role/ap']],
      ['bills: approve', ['books/Role/APPROVE']],
    ]);
    expect(of('hub/Connector/sync-ap')).toEqual([
      ['books: bills: add', ['books/ServiceAccount/clerk', 'books/Role/ap']],
    ]);
  });

  it('keeps a deleted account out of the world, and an attribute the system cannot report as applied', () => {
    expect(population.world.get('books/ServiceAccount/gone')).toBeUndefined();
    const s = structuredClone(state);
    s.resources['books/ServiceAccount/clerk']!.attributes.vendor = 'Acme';
    const p = inventoryPopulation({ desired, state: s, remote, providerTypes, kindOf });
    expect(p.world.get('books/ServiceAccount/clerk')?.attributes).toMatchObject({
      vendor: 'Acme',
      status: 'active',
    });
  });

  it('says deactivated for an object of a kind the system cannot list, by its deactivated value', () => {
    const s = structuredClone(state);
    s.resources['books/ServiceAccount/clerk']!.attributes.status = 'inactive';
    // books not listed at all: everything is known from state.
    const p = inventoryPopulation({ desired, state: s, remote: new Map(), providerTypes, kindOf });
    const clerk = p.members.find((m) => m.resource.address === 'books/ServiceAccount/clerk');
    expect([clerk?.status, clerk?.seen]).toEqual(['deactivated', 'state']);
  });
});
