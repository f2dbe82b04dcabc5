import { describe, expect, it } from 'vitest';
import { desired, obj, plan, remote, stateWith } from '../plan/fixtures.testing.js';
import { findStaleness } from './stale.js';

describe('findStaleness', () => {
  const d = desired('Account', 'a', { id: 'WS_A', status: 'active' });
  const o = obj('7', { id: 'WS_A', status: 'locked' });
  const state = stateWith(d.address, o);
  const p = plan({ desired: [d], order: [d.address], state, remote: remote('Account', [o]) });

  it('accepts a plan when nothing moved', () => {
    expect(findStaleness(p, state, remote('Account', [o]))).toEqual([]);
  });

  it('names the object changed in the system, and by whom', () => {
    const changed = obj('7', { id: 'WS_A', status: 'inactive' }, { modifiedBy: 'jdoe' });
    expect(findStaleness(p, state, remote('Account', [changed]))).toEqual([
      'p/Account/a (WS_A) changed in the system since the plan was made by jdoe',
    ]);
  });

  it('refuses when the state serial or lineage differs', () => {
    expect(findStaleness(p, { ...state, serial: 4 }, remote('Account', [o]))[0]).toContain('serial 3 → 4');
    expect(findStaleness(p, { ...state, lineage: 'other' }, remote('Account', [o]))[0]).toContain('lineage');
  });

  it('notices an object created since a plan that creates it', () => {
    const fresh = desired('Account', 'b', { id: 'WS_B' });
    const pc = plan({ desired: [fresh], order: [fresh.address] });
    expect(
      findStaleness(
        pc,
        { version: 1, lineage: 'L', serial: 0, resources: {} },
        remote('Account', [obj('9', { id: 'WS_B' })]),
      ),
    ).toEqual(['p/Account/b: WS_B was created in the system since the plan was made']);
  });
});
