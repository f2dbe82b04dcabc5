import { describe, expect, it } from 'vitest';
import { declared } from '../kind-fixtures.testing.js';
import { desired, kinds, obj, plan, planManaged, remote, stateWith } from './fixtures.testing.js';

describe('assemblePlan', () => {
  it('creates a missing object, and plans create-then-update for a value not allowed at creation', () => {
    const d = desired('Account', 'a', { id: 'WS_A', status: 'inactive' });
    const p = plan({ desired: [d], order: [d.address] });
    expect(p.changes.map((c) => [c.action, c.after])).toEqual([
      ['create', { id: 'WS_A', status: 'locked' }],
      ['update', { id: 'WS_A', status: 'inactive' }],
    ]);
    expect(p.changes[1]!.dependsOn).toEqual([0]);
    expect(p.changes[0]!.reasons[0]!.rule).toBe('createValues');
    expect(p.summary).toMatchObject({ create: 1, update: 1 });
  });

  it('reports no change when the system matches, comparing sets without order', () => {
    const d = desired('Account', 'a', { id: 'WS_A', roles: [{ ref: 'r1' }, { ref: 'r2' }] });
    const o = obj('7', { id: 'WS_A', roles: [{ ref: 'r2' }, { ref: 'r1' }], status: 'active' });
    const p = planManaged(d, o);
    expect(p.changes).toEqual([]);
  });

  it('compares only the attributes the manifest sets', () => {
    const d = desired('Account', 'a', { id: 'WS_A' });
    const o = obj('7', { id: 'WS_A', status: 'locked', email: 'x@example.com' });
    const p = planManaged(d, o);
    expect(p.changes).toEqual([]);
  });

  it('lifecycle.ignoreChanges: sent at creation, never compared afterwards, recorded in state', () => {
    const lifecycle = { ignoreChanges: ['roles'] };
    const d = desired(
      'Account',
      'a',
      { id: 'WS_A', status: 'active', roles: [{ ref: 'r1' }] },
      { lifecycle },
    );
    const created = plan({ desired: [d], order: [d.address] });
    expect(created.changes[0]).toMatchObject({
      action: 'create',
      after: { roles: [{ ref: 'r1' }] },
      lifecycle,
    });
    const o = obj('7', { id: 'WS_A', status: 'active', roles: [{ ref: 'admin' }] });
    const p = planManaged(d, o);
    expect(p.changes).toEqual([]);
    expect(p.accept).toEqual([expect.objectContaining({ address: d.address, lifecycle })]);
  });

  it('rejects a change of an immutable attribute at its manifest line', () => {
    const d = desired('Account', 'a', { id: 'WS_B' });
    const o = obj('7', { id: 'WS_A' });
    const p = planManaged(d, o);
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toMatchObject([
      { severity: 'error', code: 'rule.immutable', file: 'm.yaml', line: '/spec/id'.length, column: 3 },
    ]);
    expect(p.diagnostics[0]!.message).toContain('lifecycle.allowReplace');
  });

  it('replaces on an immutable change when lifecycle.allowReplace is set', () => {
    const d = desired('Account', 'a', { id: 'WS_B' }, { lifecycle: { allowReplace: true } });
    const o = obj('7', { id: 'WS_A' });
    const p = planManaged(d, o);
    expect(p.changes.map((c) => c.action)).toEqual(['replace']);
    expect(p.blockedReplacements).toEqual([]);
  });

  it('plans a blocked replacement for a fixed-at-creation change unless allowed', () => {
    const d = desired('Account', 'a', { id: 'WS_A', vendor: 'New' });
    const o = obj('7', { id: 'WS_A', vendor: 'Old' });
    const state = stateWith(d.address, o);
    const p = plan({ desired: [d], order: [d.address], state, remote: remote('Account', [o]) });
    expect(p.changes[0]).toMatchObject({ action: 'replace', risk: 'high' });
    expect(p.blockedReplacements).toEqual([d.address]);
    const allowed = plan({
      desired: [d],
      order: [d.address],
      state,
      remote: remote('Account', [o]),
      replace: new Set([d.address]),
    });
    expect(allowed.blockedReplacements).toEqual([]);
  });

  it('--replace ADDR forces a replacement when nothing changed, with its reason', () => {
    const d = desired('Role', 'r', { name: 'R' });
    const o = obj('9', { name: 'R' }, { naturalKey: 'R' });
    const input = {
      desired: [d],
      order: [d.address],
      state: stateWith(d.address, o),
      remote: remote('Role', [o]),
    };
    expect(plan(input).changes).toEqual([]);
    const p = plan({ ...input, replace: new Set([d.address]) });
    expect(p.changes).toMatchObject([
      { action: 'replace', address: d.address, id: '9', reasons: [{ path: '', rule: 'replace' }] },
    ]);
    expect(p.changes[0]!.reasons[0]!.message).toBe(
      'replacement requested with --replace: a new object replaces R, which will be deleted',
    );
    expect(p.blockedReplacements).toEqual([]);
    expect(p.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  });

  it('--replace ADDR of a referenced object re-links what refers to it (it is removed first)', () => {
    const r = desired('Role', 'r1', { name: 'R1' });
    const a = desired('Account', 'a', { id: 'WS_A', roles: [{ ref: 'r1' }] }, { dependencies: [r.address] });
    const ro = obj('9', { name: 'R1' }, { naturalKey: 'R1' });
    const ao = obj('7', { id: 'WS_A', roles: [{ ref: 'r1' }] });
    const state = stateWith(a.address, ao);
    state.resources[r.address] = { ...stateWith(r.address, ro).resources[r.address]! };
    const input = {
      desired: [r, a],
      order: [r.address, a.address],
      state,
      remote: new Map([
        [
          'p',
          new Map([
            ['Role', [ro]],
            ['Account', [ao]],
          ]),
        ],
      ]),
    };
    expect(plan(input).changes).toEqual([]);
    const p = plan({ ...input, replace: new Set([r.address]) });
    expect(p.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    expect(p.changes.map((c) => [c.address, c.action])).toEqual([
      [r.address, 'replace'],
      [a.address, 'update'],
    ]);
    expect(p.changes[1]).toMatchObject({ before: { roles: [] }, after: { roles: [{ ref: 'r1' }] } });
  });

  it('--replace ADDR of a kind removed by deactivation (the key stays taken) is one error, no change', () => {
    const d = desired('Account', 'a', { id: 'WS_A', status: 'active' });
    const o = obj('7', { id: 'WS_A', status: 'active' });
    const p = planManaged(d, o, { replace: new Set([d.address]) });
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toMatchObject([
      { severity: 'error', code: 'replace.unsupported', address: d.address },
    ]);
    expect(p.diagnostics[0]!.message).toContain('a deactivated Account keeps id WS_A');
  });

  it('--replace ADDR on a kind that cannot be created or removed by API is one error, no change', () => {
    const manualRole = {
      ...kinds.Role!,
      ...declared({ create: 'manual', read: 'api', update: 'api', delete: 'api' }),
    } as const;
    const d = desired('Role', 'r', { name: 'R' });
    const o = obj('9', { name: 'R' }, { naturalKey: 'R' });
    const p = plan({
      desired: [d],
      order: [d.address],
      state: stateWith(d.address, o),
      remote: remote('Role', [o]),
      kindOf: (_p, k) => (k === 'Role' ? manualRole : kinds[k]),
      replace: new Set([d.address]),
    });
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toMatchObject([
      { severity: 'error', code: 'replace.unsupported', address: d.address },
    ]);
    expect(p.diagnostics[0]!.message).toContain('create: manual');
  });

  it('deactivates an account removed from the manifests instead of deleting it', () => {
    const o = obj('7', { id: 'WS_A', status: 'active' });
    const p = plan({ state: stateWith('p/Account/a', o), remote: remote('Account', [o]) });
    expect(p.changes).toMatchObject([
      { action: 'deactivate', after: { id: 'WS_A', status: 'inactive' }, execution: 'api', risk: 'high' },
    ]);
    expect(p.summary.deactivate).toBe(1);
  });

  it('deletes instead when the removed resource asked for onRemove: delete', () => {
    const o = obj('7', { id: 'WS_A', status: 'active' });
    const p = plan({
      state: stateWith('p/Account/a', o, { lifecycle: { onRemove: 'delete' } }),
      remote: remote('Account', [o]),
    });
    expect(p.changes.map((c) => c.action)).toEqual(['delete']);
  });

  it('refuses to remove a resource with preventDestroy', () => {
    const o = obj('7', { id: 'WS_A', status: 'active' });
    const p = plan({
      state: stateWith('p/Account/a', o, { lifecycle: { preventDestroy: true } }),
      remote: remote('Account', [o]),
    });
    expect(p.diagnostics[0]).toMatchObject({ code: 'rule.prevent-destroy', severity: 'error' });
  });

  it('reactivates a deactivated object put back in the manifests, never creating it twice', () => {
    const d = desired('Account', 'a', { id: 'WS_A', status: 'active' });
    const o = obj('7', { id: 'WS_A', status: 'inactive' }, { deactivated: true });
    const p = plan({ desired: [d], order: [d.address], remote: remote('Account', [o]) });
    expect(p.changes).toMatchObject([{ action: 'update', id: '7', after: { status: 'active' } }]);
    expect(p.changes[0]!.reasons.map((r) => r.rule)).toEqual(['adopt', 'changed', 'deleteMode']);
  });

  it('reactivates with the active value when the manifest does not set the status', () => {
    const d = desired('Account', 'a', { id: 'WS_A' });
    const o = obj('7', { id: 'WS_A', status: 'inactive' }, { deactivated: true });
    const p = plan({ desired: [d], order: [d.address], remote: remote('Account', [o]) });
    expect(p.changes[0]).toMatchObject({ action: 'update', after: { id: 'WS_A', status: 'active' } });
  });

  it('adopts an object that already exists as declared (import, no write)', () => {
    const d = desired('Account', 'a', { id: 'WS_A' });
    const o = obj('7', { id: 'WS_A' });
    const p = plan({ desired: [d], order: [d.address], remote: remote('Account', [o]) });
    expect(p.changes).toMatchObject([{ action: 'import', id: '7' }]);
  });

  it('refuses a natural key held by an object of another sort', () => {
    const d = desired('Account', 'a', { id: 'Admin' });
    const o = obj('1', { id: 'Admin' }, { conflict: 'Admin is a standard user' });
    const p = plan({ desired: [d], order: [d.address], remote: remote('Account', [o]) });
    expect(p.changes).toEqual([]);
    expect(p.diagnostics).toMatchObject([
      { code: 'plan.natural-key-conflict', message: 'Admin is a standard user' },
    ]);
  });

  it('creates again an object deleted outside roster, and reports the drift', () => {
    const d = desired('Account', 'a', { id: 'WS_A' });
    const o = obj('7', { id: 'WS_A' });
    const p = plan({
      desired: [d],
      order: [d.address],
      state: stateWith(d.address, o),
      remote: remote('Account', []),
    });
    expect(p.changes.map((c) => c.action)).toEqual(['create']);
    expect(p.drift).toMatchObject([{ address: d.address, status: 'deleted' }]);
  });

  it('orders creates by dependency and waits for the referenced object', () => {
    const r = desired('Role', 'r', { name: 'R' });
    const a = desired('Account', 'a', { id: 'WS_A', roles: [{ ref: 'R' }] }, { dependencies: ['p/Role/r'] });
    const p = plan({ desired: [a, r], order: [r.address, a.address] });
    expect(p.changes.map((c) => c.address)).toEqual(['p/Role/r', 'p/Account/a']);
    expect(p.changes[1]!.dependsOn).toEqual([0]);
  });

  it('names a changed role assignment as a gain, rated medium risk', () => {
    const d = desired('Account', 'a', { id: 'WS_A', roles: [{ ref: 'R1' }, { ref: 'R2' }] });
    const o = obj('7', { id: 'WS_A', roles: [{ ref: 'R1' }] });
    const p = planManaged(d, o);
    expect(p.changes[0]).toMatchObject({ action: 'update', risk: 'medium' });
    expect(p.changes[0]!.reasons[0]!.message).toBe('roles gains R2');
    expect(p.changes[0]!.patch).toEqual([{ op: 'add', path: '/roles/1', value: { ref: 'R2' } }]);
  });

  it('in refresh-only mode plans no change but accepts drift into state', () => {
    const d = desired('Account', 'a', { id: 'WS_A', status: 'active' });
    const o = obj('7', { id: 'WS_A', status: 'active' });
    const changed = obj('7', { id: 'WS_A', status: 'locked' }, { modifiedBy: 'jdoe' });
    const p = plan({
      mode: 'refresh-only',
      desired: [d],
      order: [d.address],
      state: stateWith(d.address, o),
      remote: remote('Account', [changed]),
    });
    expect(p.changes).toEqual([]);
    expect(p.drift).toMatchObject([
      {
        status: 'changed',
        modifiedBy: 'jdoe',
        attributes: [{ path: '/status', expected: 'active', actual: 'locked' }],
      },
    ]);
    expect(p.accept).toMatchObject([{ address: d.address, attributes: { id: 'WS_A', status: 'locked' } }]);
  });

  it('limits the plan to --target and what it depends on', () => {
    const r = desired('Role', 'r', { name: 'R' });
    const a = desired('Account', 'a', { id: 'WS_A', roles: [{ ref: 'R' }] }, { dependencies: ['p/Role/r'] });
    const b = desired('Account', 'b', { id: 'WS_B' });
    const p = plan({
      desired: [a, b, r],
      order: [r.address, a.address, b.address],
      targets: new Set([a.address]),
    });
    expect(p.changes.map((c) => c.address)).toEqual(['p/Role/r', 'p/Account/a']);
  });
});
