import { describe, expect, it } from 'vitest';
import type { KindDefinition } from '../provider.js';
import { detectDrift } from './drift.js';
import { emptyState, obj } from './fixtures.testing.js';
import { guardPrivileges, isGuarded, normalizeSpec } from './guard-privileges.js';

const def: Pick<KindDefinition, 'attributes'> = {
  attributes: {
    id: { immutable: true },
    roles: { ref: 'Role', set: true, privilege: true, absent: [] },
    admin: { privilege: true, absent: 'off' },
    // A privilege without a declared absence (a required one) is not filled in.
    level: { privilege: true },
    note: {},
  },
};

describe('guardPrivileges', () => {
  it('gives every guarded privilege the manifest leaves out its absent value', () => {
    expect(guardPrivileges({ id: 'A' }, def)).toEqual({ id: 'A', roles: [], admin: 'off' });
  });

  it('keeps declared values, and returns the same object when nothing is added', () => {
    const spec = { id: 'A', roles: [{ ref: 'r' }], admin: 'full' };
    expect(guardPrivileges(spec, def)).toBe(spec);
  });

  it('leaves out what lifecycle.ignoreChanges names', () => {
    expect(guardPrivileges({ id: 'A' }, def, ['roles'])).toEqual({ id: 'A', admin: 'off' });
  });

  it('gives each resource its own copy of the absent value', () => {
    const a = guardPrivileges({ id: 'A' }, def);
    const b = guardPrivileges({ id: 'B' }, def);
    (a.roles as unknown[]).push('x');
    expect(b.roles).toEqual([]);
  });

  it('isGuarded: a privilege with a declared absence', () => {
    expect(Object.keys(def.attributes).filter((k) => isGuarded(def.attributes[k]))).toEqual([
      'roles',
      'admin',
    ]);
  });
});

describe('drift of guarded privileges', () => {
  const kinds = { Account: { ...def } as KindDefinition };
  const kindOf = (_p: string, k: string) => kinds[k as 'Account'];
  const remote = new Map([
    ['p', new Map([['Account', [obj('1', { id: 'A', roles: [{ ref: 'Admin' }], admin: 'off' })]]])],
  ]);
  const stateWith = (lifecycle?: { ignoreChanges: string[] }) => ({
    ...emptyState,
    resources: {
      // Recorded before roster guarded privileges: no roles in state.
      'p/Account/a': {
        provider: 'p',
        kind: 'Account',
        name: 'a',
        id: '1',
        naturalKey: 'A',
        attributes: { id: 'A' },
        dependencies: [],
        ...(lifecycle ? { lifecycle } : {}),
      },
    },
  });

  it('a role added by hand shows up even when state holds no roles', () => {
    const drift = detectDrift({ state: stateWith(), remote, kindOf });
    expect(drift[0]?.attributes).toEqual([{ path: '/roles', expected: [], actual: [{ ref: 'Admin' }] }]);
  });

  it('not for an attribute lifecycle.ignoreChanges names', () => {
    expect(detectDrift({ state: stateWith({ ignoreChanges: ['roles'] }), remote, kindOf })).toEqual([]);
  });
});

describe('normalizeSpec', () => {
  const upper: Pick<KindDefinition, 'attributes'> = {
    attributes: { code: { normalize: (v) => (typeof v === 'string' ? v.toUpperCase() : v) }, other: {} },
  };

  it('writes declared values as the system names them, leaving the rest', () => {
    expect(normalizeSpec({ code: 'ab', other: 'x' }, upper)).toEqual({ code: 'AB', other: 'x' });
  });

  it('returns the same object when nothing changes (absent, already normal, or a shape it does not know)', () => {
    for (const spec of [{ other: 'x' }, { code: 'AB' }, { code: 42 }])
      expect(normalizeSpec(spec, upper)).toBe(spec);
  });
});
