import { describe, expect, it } from 'vitest';
import type { StateDocument } from '../state/types.js';
import { detectDrift } from './drift.js';
import { emptyState, kinds, obj } from './fixtures.testing.js';
import { indexRemote } from './remote-index.js';

const entry = (id: string, attributes: Record<string, unknown>) => ({
  provider: 'p',
  kind: 'Account',
  name: id,
  id,
  naturalKey: String(attributes.id),
  attributes,
  dependencies: [],
});

describe('detectDrift', () => {
  const state: StateDocument = {
    ...emptyState,
    resources: {
      'p/Account/b': entry('2', {
        vendor: 'v',
        status: 'active',
        id: 'B',
        roles: [{ ref: 'R1' }, { ref: 'R2' }],
      }),
      'p/Account/a': entry('1', { status: 'active', id: 'A' }),
      'p/Account/c': entry('3', { id: 'C' }),
    },
  };
  const remote = new Map([
    [
      'p',
      new Map([
        [
          'Account',
          [
            obj('1', { id: 'A', status: 'active' }),
            // Roles in another order (a set) and with ids: not drift. The rest changed outside roster.
            obj('2', {
              id: 'B2',
              status: 'locked',
              vendor: 'w',
              roles: [{ ref: 'R2', id: '9' }, { ref: 'R1' }],
            }),
          ],
        ],
      ]),
    ],
  ]);
  const kindOf = (_p: string, k: string) => kinds[k];

  it('reports changed attributes sorted by name, and deleted objects, by address', () => {
    const drift = detectDrift({ state, remote, kindOf });
    expect(drift).toEqual([
      {
        address: 'p/Account/b',
        provider: 'p',
        kind: 'Account',
        status: 'changed',
        attributes: [
          { path: '/id', expected: 'B', actual: 'B2' },
          { path: '/status', expected: 'active', actual: 'locked' },
          { path: '/vendor', expected: 'v', actual: 'w' },
        ],
      },
      { address: 'p/Account/c', provider: 'p', kind: 'Account', status: 'deleted', attributes: [] },
    ]);
    const addresses = Object.keys(state.resources).sort();
    expect(detectDrift({ state, remote, kindOf, index: indexRemote(remote), addresses })).toEqual(drift);
  });
});
