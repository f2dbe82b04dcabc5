import { describe, expect, it } from 'vitest';
import { obj, plan, remote, stateWith, unmanagedAccount } from '../plan/fixtures.testing.js';
import { ALL_DRIFT_CLASSES } from './classes.js';
import { parseIgnoreFile } from './ignore-file.js';
import { buildDriftReport, driftFound } from './report.js';

/** A refresh-only plan with one changed (status, roles) and one deleted resource. */
function driftPlan() {
  const a = obj('7', { id: 'WS_A', status: 'active', roles: [{ ref: 'R1' }] });
  const gone = obj('9', { id: 'WS_GONE', status: 'active' });
  const state = stateWith('p/Account/a', a);
  return plan({
    mode: 'refresh-only',
    state: { ...state, resources: { ...state.resources, ...stateWith('p/Account/gone', gone).resources } },
    remote: remote('Account', [{ ...a, attributes: { id: 'WS_A', status: 'locked', roles: [] } }]),
  });
}

const hand = unmanagedAccount('12', 'WS_HAND');

describe('buildDriftReport', () => {
  it('reports every class by default', () => {
    const r = buildDriftReport({ plan: driftPlan(), unmanaged: [hand], classes: ALL_DRIFT_CLASSES });
    expect(r.drift.map((d) => [d.address, d.status])).toEqual([
      ['p/Account/a', 'changed'],
      ['p/Account/gone', 'deleted'],
    ]);
    expect(r.unmanaged).toEqual([hand]);
    expect(r.ignored).toEqual({ changed: 0, deleted: 0, unmanaged: 0 });
    expect(driftFound(r)).toBe(true);
  });

  it('leaves out the classes switched off', () => {
    const r = buildDriftReport({
      plan: driftPlan(),
      unmanaged: [hand],
      classes: { changed: false, deleted: true, unmanaged: false },
    });
    expect(r.drift.map((d) => d.status)).toEqual(['deleted']);
    expect(r.unmanaged).toEqual([]);
    expect(r.classes).toEqual({ changed: false, deleted: true, unmanaged: false });
  });

  it('drops what the baseline accepts, attribute by attribute, and counts it', () => {
    const baseline = parseIgnoreFile(
      'p/Account/a status\ndeleted:p/Account/*\nunmanaged:p/*\n',
      '.rosterignore',
    );
    const r = buildDriftReport({
      plan: driftPlan(),
      unmanaged: [hand],
      classes: ALL_DRIFT_CLASSES,
      baseline,
    });
    expect(r.drift).toEqual([
      expect.objectContaining({
        address: 'p/Account/a',
        attributes: [{ path: '/roles', expected: [{ ref: 'R1' }], actual: [] }],
      }),
    ]);
    expect(r.unmanaged).toEqual([]);
    expect(r.ignored).toEqual({ changed: 1, deleted: 1, unmanaged: 1 });
    expect(r.ignoreFile).toBe('.rosterignore');

    const all = parseIgnoreFile('p/Account/a\n', '.rosterignore');
    const none = buildDriftReport({
      plan: driftPlan(),
      unmanaged: [],
      classes: { changed: true, deleted: false, unmanaged: true },
      baseline: all,
    });
    expect(none.drift).toEqual([]);
    expect(none.ignored.changed).toBe(2);
    expect(driftFound(none)).toBe(false);
  });
});
