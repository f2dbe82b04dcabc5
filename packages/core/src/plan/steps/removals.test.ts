import { describe, expect, it } from 'vitest';
import { account, kinds, obj, role } from '../fixtures.testing.js';
import { indexRemote } from '../remote-index.js';
import { dependentsInState, planRemovals, reverseDependencyOrder } from './removals.js';

const st = (kind: string, name: string, id: string, extra: Record<string, unknown> = {}) => ({
  provider: 'p',
  kind,
  name,
  id,
  naturalKey: name.toUpperCase(),
  attributes: kind === 'Account' ? { id: name.toUpperCase() } : { name: name.toUpperCase() },
  dependencies: [],
  ...extra,
});
const state = {
  version: 1,
  lineage: 'L',
  serial: 1,
  resources: {
    'p/Role/r': st('Role', 'r', '1'),
    'p/Account/a': st('Account', 'a', '2', { dependencies: ['p/Role/r'] }),
    'p/Account/kept': st('Account', 'kept', '3', { lifecycle: { preventDestroy: true } }),
    'p/Account/gone': st('Account', 'gone', '4'),
    'p/Account/off': st('Account', 'off', '5'),
  },
};
const snapshot = new Map([
  [
    'p',
    new Map([
      ['Role', [obj('1', { name: 'R' })]],
      [
        'Account',
        [
          obj('2', { id: 'A', status: 'active' }),
          obj('3', { id: 'KEPT' }),
          obj('5', { id: 'OFF' }, { deactivated: true }),
        ],
      ],
    ]),
  ],
]);
const plan = (removed: string[], targets?: Set<string>) =>
  planRemovals({
    state,
    removed,
    ...(targets ? { targets } : {}),
    kindOf: (_p, k) => kinds[k],
    snapshot,
    index: indexRemote(snapshot),
  });

describe('planRemovals', () => {
  it('dependents first: the account is deactivated (its kind’s mode), then the role deleted', () => {
    const r = plan(['p/Role/r', 'p/Account/a']);
    expect(r.drafts.map((x) => [x.address, x.action, x.after_addresses])).toEqual([
      ['p/Account/a', 'deactivate', []],
      ['p/Role/r', 'delete', ['p/Account/a']],
    ]);
    expect(r.drafts[0]).toMatchObject({
      before: { id: 'A', status: 'active' },
      after: { status: 'inactive' },
    });
  });

  it('protected: refused; gone or deactivated already: forgotten; outside --target: left', () => {
    const r = plan(['p/Account/kept', 'p/Account/gone', 'p/Account/off']);
    expect(r.drafts).toEqual([]);
    expect(r.diagnostics).toMatchObject([{ code: 'rule.prevent-destroy', address: 'p/Account/kept' }]);
    expect(r.forget.sort()).toEqual(['p/Account/gone', 'p/Account/off']);
    expect(plan(['p/Role/r'], new Set(['p/Account/a']))).toEqual({ drafts: [], diagnostics: [], forget: [] });
  });

  it('onRemove: delete overrides the kind, and says so', () => {
    const withDelete = {
      ...state,
      resources: {
        ...state.resources,
        'p/Account/a': { ...state.resources['p/Account/a'], lifecycle: { onRemove: 'delete' as const } },
      },
    };
    const r = planRemovals({
      state: withDelete,
      removed: ['p/Account/a'],
      kindOf: (_p, k) => kinds[k],
      snapshot,
      index: indexRemote(snapshot),
    });
    expect(r.drafts[0]).toMatchObject({
      action: 'delete',
      operation: 'delete',
      reasons: [{ rule: 'onRemove' }],
    });
  });

  it('a kind no provider declares any more is an error naming the way out', () => {
    const r = planRemovals({
      state,
      removed: ['p/Role/r'],
      kindOf: () => undefined,
      snapshot,
      index: indexRemote(snapshot),
    });
    expect(r.diagnostics).toMatchObject([
      { code: 'plan.unknown-kind', message: expect.stringContaining('roster state rm p/Role/r') },
    ]);
  });
});

describe('dependency order of removals', () => {
  it('orders dependents first and finds them in state', () => {
    expect(reverseDependencyOrder(state, ['p/Role/r', 'p/Account/a'])).toEqual(['p/Account/a', 'p/Role/r']);
    expect(dependentsInState(state, 'p/Role/r')).toEqual(['p/Account/a']);
    expect(account.deleteMode).toBe('deactivate');
    expect(role.deleteMode).toBe('delete');
  });
});
