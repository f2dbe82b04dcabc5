import { describe, expect, it } from 'vitest';
import { account, obj, role } from '../fixtures.testing.js';
import { needsReactivation, reactivationReason } from './reactivation.js';

const off = obj('7', { id: 'A', status: 'inactive' }, { deactivated: true });

describe('reactivation', () => {
  it('a deactivated object declared again is reactivated with the active value', () => {
    expect(needsReactivation(account, off, { id: 'A' })).toBe(true);
    expect(
      reactivationReason({ kind: 'Account', def: account, remote: off, reactivate: true, changed: [] }),
    ).toEqual({
      reason: {
        path: '/status',
        rule: 'deleteMode',
        message: 'Account A is deactivated in the system; it is reactivated (status: "active")',
      },
      set: ['status', 'active'],
    });
  });

  it('when the manifest sets the attribute itself, its change says it is a reactivation', () => {
    expect(needsReactivation(account, off, { id: 'A', status: 'locked' })).toBe(false);
    const r = reactivationReason({
      kind: 'Account',
      def: account,
      remote: off,
      reactivate: false,
      changed: ['status'],
    });
    expect(r.reason?.message).toBe('Account A was deactivated; it is reactivated, not created again');
    expect(r.set).toBeUndefined();
  });

  it('nothing for an active object, or a kind without deactivation', () => {
    expect(needsReactivation(account, obj('7', { id: 'A' }), { id: 'A' })).toBe(false);
    expect(needsReactivation(role, off, {})).toBe(false);
    expect(
      reactivationReason({ kind: 'Role', def: role, remote: off, reactivate: false, changed: [] }),
    ).toEqual({});
  });
});
