import { describe, expect, it } from 'vitest';
import { declared } from '../kind-fixtures.testing.js';
import { kindCapabilities } from '../kind-operations.js';
import { kinds } from './fixtures.testing.js';
import { withUnreadableKinds } from './remote-snapshot.js';

describe('withUnreadableKinds', () => {
  it('fills kinds the system cannot read from state; leaves read kinds and the input alone', () => {
    const unreadable = {
      ...kinds.Role!,
      ...declared({ ...kindCapabilities(kinds.Role!), read: 'none' }),
    };
    const remote = new Map([['p', new Map([['Account', []]])]]);
    const state = {
      version: 1,
      lineage: 'L',
      serial: 1,
      resources: {
        'p/Role/r': {
          provider: 'p',
          kind: 'Role',
          name: 'r',
          id: '1',
          naturalKey: 'R',
          attributes: { name: 'R' },
          dependencies: [],
        },
      },
    };
    const out = withUnreadableKinds({
      remote,
      state,
      desired: [{ provider: 'p', kind: 'Account' }],
      kindOf: (_p, k) => (k === 'Role' ? unreadable : kinds[k]),
    });
    expect(out.get('p')?.get('Role')).toEqual([{ id: '1', naturalKey: 'R', attributes: { name: 'R' } }]);
    expect(out.get('p')?.get('Account')).toEqual([]);
    expect(remote.get('p')?.has('Role')).toBe(false);
  });
});
