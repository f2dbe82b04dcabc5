import { describe, expect, it } from 'vitest';
import { declared } from '../kind-fixtures.testing.js';
import { kindCapabilities } from '../kind-operations.js';
import { desired, emptyState, kinds, obj, stateWith } from '../plan/fixtures.testing.js';
import type { KindDefinition, RemoteObject } from '../provider.js';
import { detectUnmanaged } from './unmanaged.js';

const role = (id: string, name: string, extra: Partial<RemoteObject> = {}): RemoteObject => ({
  id,
  naturalKey: name,
  attributes: { name },
  ...extra,
});

function snapshot(perKind: Record<string, RemoteObject[]>) {
  return new Map([['p', new Map(Object.entries(perKind))]]);
}

describe('detectUnmanaged', () => {
  it('reports objects neither in state (by id) nor declared (by natural key), with a synthetic address', () => {
    const managed = obj('1', { id: 'WS_MANAGED', status: 'active' });
    const result = detectUnmanaged({
      state: stateWith('p/Account/managed', managed),
      desired: [desired('Account', 'new', { id: 'WS_DECLARED', status: 'active' })],
      remote: snapshot({
        Account: [
          // state holds it under another natural key (renamed outside): still managed, by id
          { ...managed, naturalKey: 'WS_RENAMED', attributes: { id: 'WS_RENAMED' } },
          obj('2', { id: 'WS_DECLARED', status: 'active' }),
          obj(
            '3',
            { id: 'WS_BY_HAND', status: 'active' },
            { modifiedBy: 'jdoe', modifiedAt: '2026-11-01T10:00:00Z' },
          ),
        ],
        Role: [role('r1', 'Auditors')],
      }),
      kindOf: (_p, k) => kinds[k],
    });
    expect(result).toEqual([
      {
        address: 'p/Account/WS_BY_HAND',
        provider: 'p',
        kind: 'Account',
        id: '3',
        naturalKey: 'WS_BY_HAND',
        attributes: { id: 'WS_BY_HAND', status: 'active' },
        modifiedBy: 'jdoe',
        modifiedAt: '2026-11-01T10:00:00Z',
      },
      {
        address: 'p/Role/Auditors',
        provider: 'p',
        kind: 'Role',
        id: 'r1',
        naturalKey: 'Auditors',
        attributes: { name: 'Auditors' },
      },
    ]);
  });

  it('skips objects the kind cannot manage (conflict), deactivated ones and kinds it cannot read', () => {
    const unreadable: KindDefinition = {
      ...kinds.Role!,
      ...declared({ ...kindCapabilities(kinds.Role!), read: 'none' }),
    };
    const result = detectUnmanaged({
      state: emptyState,
      desired: [],
      remote: snapshot({
        Account: [
          obj('1', { id: 'Admin' }, { conflict: 'a standard user' }),
          obj('2', { id: 'WS_GONE', status: 'inactive' }, { deactivated: true }),
        ],
        Role: [role('r1', 'Hidden')],
      }),
      kindOf: (_p, k) => (k === 'Role' ? unreadable : kinds[k]),
    });
    expect(result).toEqual([]);
  });

  it('masks sensitive attributes and drops roster-local ones', () => {
    const secretive: KindDefinition = {
      ...kinds.Account!,
      attributes: { ...kinds.Account!.attributes, token: { sensitive: true }, credentials: { local: true } },
    };
    const [o] = detectUnmanaged({
      state: emptyState,
      desired: [],
      remote: snapshot({ Account: [obj('5', { id: 'WS_T', token: 'abc', credentials: { x: 1 } })] }),
      kindOf: () => secretive,
    });
    expect(o?.attributes).toEqual({ id: 'WS_T', token: '(sensitive)' });
  });
});
