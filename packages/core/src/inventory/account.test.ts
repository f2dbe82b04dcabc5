import { describe, expect, it } from 'vitest';
import { inventoryAccount } from './account.js';
import { kindOf, NOW, providers, world } from './fixture.testing.js';
import { inventoryPopulation } from './population.js';

const providerTypes = new Map([...providers.values()].map((p) => [p.name, p.provider.type]));

function rows(drift: Parameters<typeof inventoryAccount>[1]['drift'] = new Map()) {
  const { desired, state, remote } = world();
  const population = inventoryPopulation({ desired, state, remote, providerTypes, kindOf });
  return new Map(
    population.members.map((m) => [
      m.resource.address,
      inventoryAccount(m, { world: population.world, drift, now: NOW, kindOf }),
    ]),
  );
}

describe('an inventory row', () => {
  it('a managed account: labels, roles, permissions with their path, credentials, attestation, last use, line', () => {
    expect(rows().get('books/ServiceAccount/clerk')).toEqual({
      address: 'books/ServiceAccount/clerk',
      name: 'clerk',
      system: 'ledger',
      provider: 'books',
      kind: 'ServiceAccount',
      role: 'account',
      status: 'managed',
      id: '1',
      naturalKey: 'WS_CLERK',
      owner: 'finance-it',
      backupOwner: 'controller',
      purpose: 'invoices',
      labels: { owner: 'finance-it', 'backup-owner': 'controller', purpose: 'invoices' },
      roles: ['AP'],
      permissions: [{ name: 'bills: add', via: ['books/Role/ap'] }],
      credentials: {
        issuedAt: '2026-06-10T08:00:00Z',
        ageDays: 20,
        rotateAfterDays: 30,
        rotationDue: '2026-07-10',
      },
      attestation: { at: '2026-05-01T00:00:00Z', by: 'ops', ageDays: 60 },
      drift: 'in-sync',
      lastUsed: { at: '2026-06-28T09:00:00Z', source: 'system', field: 'lastLogin' },
      file: 'books.yaml',
      line: 4,
      column: 9,
    });
  });

  it('an unmanaged account: no owner, its roles and permissions as the system holds them, unknown use', () => {
    const hand = rows().get('books/ServiceAccount/HAND')!;
    expect(hand).toMatchObject({
      status: 'unmanaged',
      owner: null,
      labels: {},
      roles: ['AP', 'APPROVE'],
      drift: 'unmanaged',
      credentials: { issuedAt: null, ageDays: null, rotateAfterDays: null, rotationDue: null },
      attestation: null,
      lastUsed: {
        at: null,
        source: null,
        field: 'lastLogin',
        unknownReason: 'lastLogin is empty; roster test signs in only as accounts the manifests declare',
      },
    });
    expect(hand.permissions.map((p) => p.name)).toEqual(['bills: add', 'bills: approve']);
    expect(hand.file).toBeUndefined();
  });

  it('a deactivated account holds nothing; a deleted one is listed with drift deleted', () => {
    const r = rows();
    expect(r.get('books/ServiceAccount/OLD')).toMatchObject({ status: 'deactivated', permissions: [] });
    expect(r.get('books/ServiceAccount/gone')).toMatchObject({
      status: 'managed',
      drift: 'deleted',
      roles: [],
      permissions: [],
      lastUsed: { at: null, unknownReason: 'the system no longer holds it' },
    });
  });

  it('a connection known from state: drift unknown, last use from roster test, permissions across systems', () => {
    expect(rows().get('hub/Connector/sync-ap')).toMatchObject({
      role: 'connector',
      drift: 'unknown',
      lastUsed: { at: '2026-06-29T00:00:00Z', source: 'roster-test', field: null },
      permissions: [{ name: 'books: bills: add', via: ['books/ServiceAccount/clerk', 'books/Role/ap'] }],
    });
  });

  it('takes drift from the refresh-only plan', () => {
    const drift = new Map([
      [
        'books/ServiceAccount/clerk',
        {
          address: 'books/ServiceAccount/clerk',
          provider: 'books',
          kind: 'ServiceAccount',
          status: 'changed' as const,
          attributes: [],
        },
      ],
    ]);
    expect(rows(drift).get('books/ServiceAccount/clerk')?.drift).toBe('changed');
  });
});
