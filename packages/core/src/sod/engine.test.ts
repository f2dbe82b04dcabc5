import { describe, expect, it } from 'vitest';
import { accountKind } from '../kind-fixtures.testing.js';
import type { WorldResource } from '../permissions/types.js';
import { makeWorld } from '../permissions/world.js';
import type { KindDefinition } from '../provider.js';
import { mergeSodPacks, sodConflictMessage, sodConflicts, sodSubjects } from './engine.js';
import type { SodPack } from './types.js';

// Two systems: `ledger` accounts hold what they are granted; a `hub` connection holds what the
// account it signs in as holds, named `<provider>: <permission>` (as connector kinds name them).
const account = accountKind(({ resource }) =>
  ((resource.attributes.grants as string[]) ?? []).map((name, i) => ({
    name,
    pointer: `/spec/grants/${i}`,
  })),
);
const connection: KindDefinition = {
  ...account,
  role: 'connector',
  permissions: ({ resource, world }) => {
    const target = world.resolve(resource, 'ServiceAccount', resource.attributes.account);
    return target
      ? world.permissionsOf(target).map((p) => ({ ...p, name: `${target.provider}: ${p.name}` }))
      : [];
  },
};
const role: KindDefinition = { ...account, role: 'role', permissions: undefined };
const kindOf = (_: string, kind: string) =>
  kind === 'Connector' ? connection : kind === 'Role' ? role : account;
const res = (
  provider: string,
  type: string,
  kind: string,
  name: string,
  attributes: Record<string, unknown>,
): WorldResource => ({
  address: `${provider}/${kind}/${name}`,
  provider,
  providerType: type,
  kind,
  name,
  naturalKey: name,
  labels: {},
  attributes,
});

const pack: SodPack = {
  id: 'finance',
  version: 1,
  rules: [
    {
      id: 'enter-approve',
      system: 'ledger',
      permissions: ['bills: add', 'approveBills: level*'],
      reason: 'one account could enter and approve a bill',
      source: 'test',
    },
  ],
};

describe('SoD rule packs', () => {
  const world = makeWorld(
    [
      res('books', 'ledger', 'ServiceAccount', 'clerk', { grants: ['bills: add', 'bills: list'] }),
      res('books', 'ledger', 'ServiceAccount', 'both', { grants: ['bills: add', 'approveBills: level2'] }),
      res('books', 'ledger', 'Role', 'r', { grants: ['bills: add', 'approveBills: level1'] }),
      res('hub', 'sync', 'Connector', 'c', { account: { ref: 'books/ServiceAccount/both' } }),
      res('hub', 'sync', 'Connector', 'd', { account: { ref: 'books/ServiceAccount/clerk' } }),
    ],
    kindOf,
  );
  const conflicts = sodConflicts({ packs: [pack], world, accounts: sodSubjects(world.resources, kindOf) });

  it('finds an account holding every entry of a set, and a connection reaching one in another system', () => {
    expect(
      conflicts.map((c) => [c.address, c.via ?? '-', c.held.map((h) => h.permissions.join('|'))]),
    ).toEqual([
      ['books/ServiceAccount/both', '-', ['bills: add', 'approveBills: level2']],
      ['hub/Connector/c', 'books', ['bills: add', 'approveBills: level2']],
    ]);
    expect(conflicts[0]!.pointer).toBe('/spec/grants/0');
    expect(conflicts[1]!.pointer).toBeUndefined();
    expect(sodConflictMessage(conflicts[1]!)).toBe(
      'hub/Connector/c holds bills: add and approveBills: level2 together in books, through the account it signs in as: one account could enter and approve a bill (SoD finance v1, enter-approve)',
    );
  });

  it('judges only accounts and connections, and only the system a rule names', () => {
    const other = { ...pack, rules: [{ ...pack.rules[0]!, system: 'sync' }] };
    expect(sodConflicts({ packs: [other], world, accounts: sodSubjects(world.resources, kindOf) })).toEqual(
      [],
    );
    expect(sodSubjects(world.resources, kindOf).map((r) => r.name)).toEqual(['clerk', 'both', 'c', 'd']);
  });

  it('joins the parts of a pack and refuses parts that disagree on its version', () => {
    const part = (version: number, id: string): SodPack => ({
      id: 'finance',
      version,
      rules: [{ ...pack.rules[0]!, id }],
    });
    expect(
      mergeSodPacks([part(1, 'a'), { ...pack, id: 'access' }, part(1, 'b')]).map((p) => [
        p.id,
        p.rules.map((r) => r.id),
      ]),
    ).toEqual([
      ['access', ['enter-approve']],
      ['finance', ['a', 'b']],
    ]);
    expect(() => mergeSodPacks([part(1, 'a'), part(2, 'b')])).toThrow(
      'SoD pack finance is shipped as version 1 and 2',
    );
  });
});
