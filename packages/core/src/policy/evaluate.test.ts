import { describe, expect, it } from 'vitest';
import { accountKind } from '../kind-fixtures.testing.js';
import { compileGlob } from '../match/glob.js';
import type { WorldResource } from '../permissions/types.js';
import { makeWorld } from '../permissions/world.js';
import { defaultPolicySettings } from './config.js';
import { blockingFindings, evaluatePolicies } from './evaluate.js';
import type { PolicyRule } from './types.js';

const res = (name: string, attributes: Record<string, unknown>, kind = 'ServiceAccount'): WorldResource => ({
  address: `p/${kind}/${name}`,
  provider: 'p',
  providerType: 't',
  kind,
  name,
  naturalKey: name.toUpperCase(),
  labels: {},
  attributes,
  positionOf: (pointer) => ({ file: 'm.yaml', line: pointer.split('/').length, column: 1 }),
});

// A kind whose accounts can do what their roles grant; roles may include other roles (a cycle here).
const account = accountKind(({ resource, world }) => {
  const via = world.resolve(resource, 'ServiceAccount', resource.attributes.via);
  return [
    ...((resource.attributes.grants as string[]) ?? []).map((name) => ({
      name,
      escalates: name === 'admin',
    })),
    ...(via ? world.permissionsOf(via) : []),
  ];
});
const kindOf = () => account;

const adminRule: PolicyRule = {
  id: 'no-admin',
  description: 'no admin',
  severity: 'error',
  evaluate: (ctx) =>
    ctx.desired
      .filter((r) => ctx.permissionsOf(r).some((p) => p.escalates))
      .map((r) => ({ address: r.address, message: `${r.name} is admin`, pointer: '/spec/grants' })),
};

describe('world and policies', () => {
  it('follows references by natural key or name, survives a cycle, and sorts permissions', () => {
    const a = res('a', { grants: ['read'], via: { ref: 'B' } });
    const b = res('b', { grants: ['admin', 'read'], via: { ref: 'a' } });
    const world = makeWorld([a, b], kindOf);
    expect(world.permissionsOf(a).map((p) => p.name)).toEqual(['admin', 'read']);
    expect(world.permissionsOf(b).find((p) => p.name === 'admin')?.escalates).toBe(true);
  });

  it('turns hits into findings at their lines; an exception by glob keeps the finding but unblocks it; an unused one warns', () => {
    const world = makeWorld([res('a', { grants: ['admin'] }), res('b', { grants: ['admin'] })], kindOf);
    const settings = defaultPolicySettings([adminRule]);
    settings.exceptions.push(
      {
        rule: 'no-admin',
        address: 'p/ServiceAccount/a*',
        reason: 'break-glass',
        position: { file: 'pol.yaml', line: 7, column: 5 },
        matcher: compileGlob('p/ServiceAccount/a*'),
      },
      {
        rule: 'no-admin',
        address: 'x/*',
        reason: 'old',
        position: { file: 'pol.yaml', line: 9, column: 5 },
        matcher: compileGlob('x/*'),
      },
    );
    const r = evaluatePolicies({
      rules: [adminRule],
      settings,
      world,
      desired: new Set(['p/ServiceAccount/a', 'p/ServiceAccount/b']),
      state: { version: 1, lineage: 'l', serial: 0, resources: {} } as never,
      now: new Date(),
      kindOf,
    });
    expect(r.findings).toEqual([
      {
        policy: 'no-admin',
        severity: 'error',
        address: 'p/ServiceAccount/a',
        message: 'a is admin',
        file: 'm.yaml',
        line: 3,
        column: 1,
        excepted: { reason: 'break-glass', file: 'pol.yaml', line: 7 },
      },
      {
        policy: 'no-admin',
        severity: 'error',
        address: 'p/ServiceAccount/b',
        message: 'b is admin',
        file: 'm.yaml',
        line: 3,
        column: 1,
      },
    ]);
    expect(blockingFindings(r.findings).map((f) => f.address)).toEqual(['p/ServiceAccount/b']);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'policy.unused-exception', line: 9 })]);

    settings.rules.set('no-admin', { enabled: false, severity: 'error', options: {} });
    const off = evaluatePolicies({
      rules: [adminRule],
      settings,
      world,
      desired: new Set(['p/ServiceAccount/a']),
      state: { version: 1, lineage: 'l', serial: 0, resources: {} } as never,
      now: new Date(),
      kindOf,
    });
    expect(off.findings).toEqual([]);
  });

  it('leaves rules the inventory judges to it: no findings in a plan, and their exceptions are not unused here', () => {
    const world = makeWorld([res('a', { grants: ['admin'] })], kindOf);
    const judgedElsewhere: PolicyRule = {
      id: 'inventory.no-owner',
      description: 'no owner',
      severity: 'error',
      judgedBy: 'inventory',
    };
    const settings = defaultPolicySettings([adminRule, judgedElsewhere]);
    settings.exceptions.push({
      rule: 'inventory.no-owner',
      address: 'x/*',
      reason: 'hand-made',
      position: { file: 'pol.yaml', line: 4, column: 5 },
      matcher: compileGlob('x/*'),
    });
    const r = evaluatePolicies({
      rules: [adminRule, judgedElsewhere],
      settings,
      world,
      desired: new Set(['p/ServiceAccount/a']),
      state: { version: 1, lineage: 'l', serial: 0, resources: {} } as never,
      now: new Date(),
      kindOf,
    });
    expect(r.findings.map((f) => f.policy)).toEqual(['no-admin']);
    expect(r.diagnostics).toEqual([]);
    // @ts-expect-error a rule must judge plans (evaluate) or be judged by the inventory, not neither
    const neither: PolicyRule = { id: 'x', description: 'x', severity: 'info' };
    expect(neither.evaluate).toBeUndefined();
  });
});
