import { describe, expect, it } from 'vitest';
import { declared } from '../kind-fixtures.testing.js';
import { fake, lines, tree } from '../manifest/fixtures.testing.js';
import { loadManifests } from '../manifest/load.js';
import type { WorldResource } from '../permissions/types.js';
import { makeWorld } from '../permissions/world.js';
import type { PlannedChange } from '../plan/types.js';
import type { KindDefinition } from '../provider.js';
import { emptyStateDocument } from '../state/document.js';
import { celPolicyRule, checkCelExpression } from './cel-rule.js';
import { defaultPolicySettings } from './config.js';
import { evaluatePolicies } from './evaluate.js';
import { CEL_VIEW_TYPES, policyView } from './view.js';

const policy = (rules: string) =>
  `apiVersion: roster/v1\nkind: Policy\nmetadata: { name: custom }\nspec:\n  rules:\n${rules}`;
const load = async (text: string) =>
  lines(
    (await loadManifests({ paths: ['.'], cwd: tree({ 'policy.yaml': text }), providers: [fake], env: {} }))
      .diagnostics,
  );

describe('custom rules in CEL: checked when the manifests load', () => {
  it('places a type error and a syntax error at their token, in any scalar style', async () => {
    expect(
      await load(
        policy(
          [
            '    owned:',
            '      expression: account.owner != "" && account.ownr == "x"',
            '      message: an account needs an owner',
            '    typed:',
            '      expression: "account.credentialAgeDays < 90 && account.system == 1"',
            '      message: wrong types',
            '    broken:',
            '      expression: |',
            '        account.owner != "" &&',
            '          account.labels.purpose ==',
            '      message: unfinished',
          ].join('\n'),
        ),
      ),
    ).toEqual([
      'policy.yaml:7:50: error[policy.expression]: rule owned: No such key: ownr',
      'policy.yaml:10:54: error[policy.expression]: rule typed: no such overload: string == int',
      'policy.yaml:15:36: error[policy.expression]: rule broken: Unexpected token: EOF',
    ]);
  });

  it('refuses a built-in id, a missing message, an expression that is no bool, and a mistyped variable', async () => {
    expect(
      await load(
        policy(
          [
            '    labels-required: { expression: "true", message: hijacked }',
            '    silent: { expression: "true" }',
            '    counted: { expression: "account.permissions.after.size()", message: a number }',
            '    unknown: { expression: "acount.owner != \\"\\"", message: typo }',
          ].join('\n'),
        ),
      ),
    ).toEqual([
      'policy.yaml:6:22: error[policy.custom-rule]: labels-required is a built-in rule: give the custom rule an id of its own',
      'policy.yaml:7:13: error[policy.custom-rule]: custom rule silent needs a message: what is wrong and what to do',
      'policy.yaml:8:29: error[policy.expression]: rule counted: the expression gives int, where a rule needs a bool',
      'policy.yaml:9:29: error[policy.expression]: rule unknown: Unknown variable: acount',
    ]);
  });

  it('accepts what the view declares', () => {
    for (const ok of [
      'account.system == "intacct" && account.permissions.gained.size() == 0',
      'account.credentialAgeDays == null || account.credentialAgeDays < 90',
      'account.lastUsedAt == null',
      'has(account.labels.owner) && account.changes.all(c, c.action != "delete")',
      'plan.changes.filter(c, c.action == "create").size() < 10',
      'account.role == "connector" || !account.permissions.after.exists(p, glob(p, "accountsPayable/*: add"))',
    ])
      expect(checkCelExpression(ok), ok).toBeUndefined();
  });

  it('refuses matches(), which would run a backtracking regular expression', () => {
    for (const [bad, at] of [
      ['account.name.matches("^(a+)+$")', 0],
      ['account.permissions.after.exists(p, p.matches("x"))', 36],
    ] as const)
      expect(checkCelExpression(bad), bad).toEqual({
        message: expect.stringContaining('matches() is refused'),
        offset: at,
      });
  });
});

const accountKind: KindDefinition = {
  description: 'account',
  role: 'account',
  schema: {},
  attributes: { credentials: { local: true } },
  deleteMode: 'delete',
  ...declared({ create: 'api', read: 'api', update: 'api', delete: 'api' }),
  naturalKey: (s) => String(s.id),
  naturalKeyAttribute: 'id',
  permissions: ({ resource }) => ((resource.attributes.grants as string[]) ?? []).map((name) => ({ name })),
};
const kindOf = () => accountKind;
const res = (
  name: string,
  attributes: Record<string, unknown>,
  labels: Record<string, string> = {},
): WorldResource => ({
  address: `p/ServiceAccount/${name}`,
  provider: 'p',
  providerType: 'sys',
  kind: 'ServiceAccount',
  name,
  naturalKey: name,
  labels,
  attributes,
  positionOf: () => ({ file: 'accounts.yaml', line: 3, column: 7 }),
});

describe('custom rules in CEL: evaluated over the view of the plan', () => {
  const before = makeWorld([res('a', { grants: ['read'] }), res('b', { grants: ['read'] })], kindOf);
  const after = makeWorld(
    [
      res('a', { grants: ['read', 'write'], credentials: { rotateAfterDays: 30 } }, { owner: 'finance' }),
      res('b', { grants: ['read', 'write'] }),
      res('c', { grants: [] }),
    ],
    kindOf,
  );
  const change = (name: string, action: PlannedChange['action']) =>
    ({
      address: `p/ServiceAccount/${name}`,
      provider: 'p',
      kind: 'ServiceAccount',
      action,
      reasons: [{ path: '/grants', rule: 'changed', message: 'grants changed' }],
    }) as unknown as PlannedChange;
  const state = emptyStateDocument();
  state.resources['p/ServiceAccount/a'] = {
    credentialsIssuedAt: '2026-01-01T00:00:00Z',
    lastSignInAt: '2026-02-27T08:00:00.000Z',
  } as never;
  const run = (expression: string, severity: 'error' | 'warning' = 'error') => {
    const rule = celPolicyRule({ id: 'r', expression, message: 'no', severity, at: 'policy.yaml:6' });
    const settings = defaultPolicySettings([]);
    settings.custom = [rule];
    settings.rules.set('r', { enabled: true, severity, options: {} });
    return evaluatePolicies({
      rules: [],
      settings,
      world: after,
      before,
      changes: [change('a', 'update'), change('b', 'update'), change('c', 'create')],
      desired: new Set(after.resources.map((r) => r.address)),
      state,
      now: new Date('2026-03-02T00:00:00Z'),
      kindOf,
    }).findings.map((f) => `${f.severity} ${f.address} ${f.file}:${f.line} ${f.message}`);
  };

  it('finds each account whose expression is false, at the account', () => {
    expect(run('account.permissions.gained.size() == 0 || account.owner != ""')).toEqual([
      'error p/ServiceAccount/b accounts.yaml:3 p/ServiceAccount/b: no (rule at policy.yaml:6)',
    ]);
    expect(run('account.credentialAgeDays == null || account.credentialAgeDays < 60', 'warning')).toEqual([
      'warning p/ServiceAccount/a accounts.yaml:3 p/ServiceAccount/a: no (rule at policy.yaml:6)',
    ]);
    expect(run('!account.changes.exists(c, c.action == "create" && c.reasons.size() > 0)')).toEqual([
      'error p/ServiceAccount/c accounts.yaml:3 p/ServiceAccount/c: no (rule at policy.yaml:6)',
    ]);
    expect(run('account.rotateAfterDays != null || plan.accounts.size() < 3')).toHaveLength(2);
    expect(run('!account.permissions.after.exists(p, glob(p, "wr*"))')).toHaveLength(2);
    // lastUsedAt: the last `roster test` sign-in state records; null for an account never tested.
    expect(run('account.lastUsedAt != null')).toEqual([
      'error p/ServiceAccount/b accounts.yaml:3 p/ServiceAccount/b: no (rule at policy.yaml:6)',
      'error p/ServiceAccount/c accounts.yaml:3 p/ServiceAccount/c: no (rule at policy.yaml:6)',
    ]);
  });

  it('gives every field the CEL types declare, and no other', () => {
    const view = policyView({
      before,
      after,
      desired: new Set(after.resources.map((r) => r.address)),
      changes: [change('a', 'update')],
      state,
      now: new Date('2026-03-02T00:00:00Z'),
      kindOf,
    });
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(view)).toEqual(keys(CEL_VIEW_TYPES.Plan));
    expect(keys(view.accounts[0]!)).toEqual(keys(CEL_VIEW_TYPES.Account));
    expect(keys(view.accounts[0]!.permissions)).toEqual(keys(CEL_VIEW_TYPES.Permissions));
    expect(keys(view.changes[0]!)).toEqual(keys(CEL_VIEW_TYPES.Change));
    expect(view.accounts[0]).toMatchObject({
      credentialAgeDays: 60,
      rotateAfterDays: 30,
      lastUsedAt: '2026-02-27T08:00:00.000Z',
      owner: 'finance',
      system: 'sys',
    });
  });

  it('makes an expression that fails at run time a finding that says why', () => {
    expect(run('account.labels.owner == "finance"')).toEqual([
      'error p/ServiceAccount/b accounts.yaml:3 p/ServiceAccount/b: rule r (policy.yaml:6) could not be evaluated: No such key: owner',
      'error p/ServiceAccount/c accounts.yaml:3 p/ServiceAccount/c: rule r (policy.yaml:6) could not be evaluated: No such key: owner',
    ]);
  });
});
