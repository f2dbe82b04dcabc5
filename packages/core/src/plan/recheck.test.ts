import { describe, expect, it } from 'vitest';
import { compileGlob } from '../match/glob.js';
import { celPolicyRule } from '../policy/cel-rule.js';
import { defaultPolicySettings } from '../policy/config.js';
import type { PolicyRule } from '../policy/types.js';
import type { KindDefinition } from '../provider.js';
import { account, desired, emptyState, kinds, obj, plan, remote, stateWith } from './fixtures.testing.js';
import { recheckPlan } from './recheck.js';

// A rule like Intacct's web-services-admin: an account with `admin: true` is an error.
const noAdmin: PolicyRule = {
  id: 'test.no-admin',
  description: 'no admin accounts',
  severity: 'error',
  evaluate: (ctx) =>
    ctx.desired
      .filter((r) => r.kind === 'Account' && r.attributes.admin === true)
      .map((r) => ({ address: r.address, message: `${r.name} is an admin`, pointer: '/spec/admin' })),
};
const checked: KindDefinition = {
  ...account,
  check: ({ spec }) => ({
    diagnostics:
      spec.vendor === 'forbidden'
        ? [
            {
              severity: 'error',
              code: 'test.vendor',
              path: '/vendor',
              message: 'vendor forbidden is not allowed',
            },
          ]
        : [],
  }),
};
const kindOf = (_p: string, k: string) => (k === 'Account' ? checked : kinds[k]);
const base = {
  providerTypes: new Map([['p', 'test']]),
  kindOf,
  rules: [noAdmin],
  settings: defaultPolicySettings([noAdmin]),
  now: new Date('2026-01-01T00:00:00Z'),
};

describe('recheckPlan: a saved plan is checked as it stands, whatever it reports', () => {
  it('finds the error a tampered change brings, though the plan reports no finding', () => {
    const p = plan({ desired: [desired('Account', 'a', { id: 'A', status: 'active' })], order: [] });
    expect(p.changes.map((c) => c.action)).toContain('create');
    expect(recheckPlan({ ...base, plan: p, state: emptyState }).blocking).toEqual([]);
    for (const c of p.changes) c.after = { ...c.after, admin: true };
    p.findings = [];
    const r = recheckPlan({ ...base, plan: p, state: emptyState });
    expect(r.blocking).toEqual(['p/Account/a: error[policy/test.no-admin]: a is an admin']);
    expect(r.findings).toHaveLength(1);
  });

  it('runs custom CEL rules too, over the changes of the saved plan', () => {
    const rule = celPolicyRule({
      id: 'no-new-accounts',
      expression: 'account.changes.all(c, c.action != "create")',
      message: 'accounts are made by the IAM team',
      severity: 'error',
      at: 'policy.yaml:6',
    });
    const settings = defaultPolicySettings([noAdmin]);
    settings.custom = [rule];
    settings.rules.set(rule.id, { enabled: true, severity: 'error', options: {} });
    const p = plan({ desired: [desired('Account', 'a', { id: 'A', status: 'active' })], order: [] });
    p.findings = [];
    expect(recheckPlan({ ...base, settings, plan: p, state: emptyState }).blocking).toEqual([
      'p/Account/a: error[policy/no-new-accounts]: p/Account/a: accounts are made by the IAM team (rule at policy.yaml:6)',
    ]);
  });

  it('judges resources the plan leaves alone as state records them, and a deleted one not at all', () => {
    const state = stateWith('p/Account/old', obj('1', { id: 'OLD', admin: true }));
    const untouched = recheckPlan({ ...base, plan: { mode: 'normal', changes: [], findings: [] }, state });
    expect(untouched.blocking).toEqual(['p/Account/old: error[policy/test.no-admin]: old is an admin']);
    const removed = plan({
      state: {
        ...state,
        resources: {
          'p/Account/old': { ...state.resources['p/Account/old']!, lifecycle: { onRemove: 'delete' } },
        },
      },
      remote: remote('Account', [obj('1', { id: 'OLD', admin: true })]),
    });
    expect(removed.changes.map((c) => c.action)).toEqual(['delete']);
    expect(recheckPlan({ ...base, plan: removed, state }).blocking).toEqual([]);
  });

  it('an exception needs the Policy documents: the plan saying "excepted" is not enough', () => {
    const p = plan({ desired: [desired('Account', 'a', { id: 'A', status: 'locked', admin: true })] });
    p.findings = [
      {
        policy: 'test.no-admin',
        severity: 'error',
        address: 'p/Account/a',
        message: 'x',
        excepted: { reason: 'r', file: 'f', line: 1 },
      },
    ];
    const r = recheckPlan({ ...base, plan: p, state: emptyState });
    expect(r.blocking).toEqual([expect.stringContaining('give apply the manifests that hold it with -f')]);
    const settings = defaultPolicySettings([noAdmin]);
    settings.exceptions.push({
      rule: 'test.no-admin',
      address: 'p/Account/a',
      matcher: compileGlob('p/Account/a'),
      reason: 'accepted',
      position: { file: 'policy.yaml', line: 3, column: 1 },
    } as (typeof settings.exceptions)[number]);
    expect(recheckPlan({ ...base, settings, plan: p, state: emptyState }).blocking).toEqual([]);
  });

  it('runs the kind checks on every change, and replacements need allowReplace when the manifests are given', () => {
    const p = plan({
      desired: [desired('Account', 'a', { id: 'A', status: 'locked', vendor: 'forbidden' })],
    });
    expect(recheckPlan({ ...base, plan: p, state: emptyState }).blocking).toEqual([
      'p/Account/a: error[test.vendor]: vendor forbidden is not allowed',
    ]);
    const d = desired('Account', 'a', { id: 'A', status: 'active', vendor: 'new' });
    const state = stateWith('p/Account/a', obj('1', { id: 'A', status: 'active', vendor: 'old' }));
    const replacing = plan({
      desired: [d],
      state,
      remote: remote('Account', [obj('1', { id: 'A', status: 'active', vendor: 'old' })]),
      replace: new Set(['p/Account/a']),
    });
    expect(replacing.changes.map((c) => c.action)).toContain('replace');
    const args = { ...base, plan: replacing, state };
    expect(recheckPlan({ ...args, desired: [d] }).blocking).toEqual([
      'p/Account/a: a replacement needs lifecycle.allowReplace: true on the resource, or --replace p/Account/a',
    ]);
    expect(recheckPlan({ ...args, desired: [d], replace: new Set(['p/Account/a']) }).blocking).toEqual([]);
    const allowed = { ...d, lifecycle: { allowReplace: true } };
    expect(recheckPlan({ ...args, desired: [allowed] }).blocking).toEqual([]);
  });

  it('a refresh-only plan never holds changes: one that does was edited', () => {
    const p = plan({ desired: [desired('Account', 'a', { id: 'A', status: 'locked' })] });
    expect(
      recheckPlan({ ...base, plan: { ...p, mode: 'refresh-only', changes: [] }, state: emptyState }).blocking,
    ).toEqual([]);
    expect(
      recheckPlan({ ...base, plan: { ...p, mode: 'refresh-only' }, state: emptyState }).blocking,
    ).toEqual([expect.stringContaining('the plan is refresh-only but holds 1 change: it was edited')]);
  });

  it('an update of an immutable attribute, or removing a resource state protects, is refused', () => {
    const state = stateWith('p/Account/a', obj('1', { id: 'A', status: 'active' }), {
      lifecycle: { preventDestroy: true },
    });
    const base2 = { ...base, state };
    const change = (
      action: string,
      before: Record<string, unknown>,
      after: Record<string, unknown> | null,
    ) => ({
      index: 0,
      address: 'p/Account/a',
      provider: 'p',
      kind: 'Account',
      name: 'a',
      naturalKey: 'A',
      action,
      reasons: [],
      patch: [],
      before,
      after,
      execution: 'api',
      risk: 'low',
      dependencies: [],
      dependsOn: [],
    });
    const run = (c: ReturnType<typeof change>) =>
      recheckPlan({ ...base2, plan: { mode: 'normal', findings: [], changes: [c as never] } }).blocking;
    expect(run(change('update', { id: 'A', status: 'active' }, { id: 'B', status: 'active' }))).toEqual([
      'p/Account/a: error[rule.immutable]: the plan updates id, which cannot change once created',
    ]);
    expect(run(change('update', { id: 'A', status: 'active' }, { id: 'A', status: 'locked' }))).toEqual([]);
    expect(run(change('deactivate', { id: 'A', status: 'active' }, { id: 'A', status: 'inactive' }))).toEqual(
      [
        'p/Account/a: error[rule.prevent-destroy]: state says lifecycle.preventDestroy: true, and the plan would deactivate it',
      ],
    );
  });
});
