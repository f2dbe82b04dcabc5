import { describe, expect, it } from 'vitest';
import { declared } from '../kind-fixtures.testing.js';
import type { KindSession } from '../kind-operations.js';
import { silentLogger } from '../logger.js';
import { assemblePlan, type PlanInput } from '../plan/assemble.js';
import type { DesiredResource } from '../plan/desired.js';
import type { KindDefinition, OperateRequest, RemoteObject } from '../provider.js';
import { Secret } from '../secret.js';
import { memoryBackend } from '../state/memory-backend.testing.js';
import { executePlan } from './execute.js';
import type { ManualOperator, ManualStepRequest } from './manual.js';
import { ConfirmedStepsOperator, SandboxOperator } from './operators.js';

// A system like those whose UI alone creates accounts: users are created by hand, read and
// updated by API except their level, which (like their vendor) the API cannot report; levels
// cannot be read at all.
const user: KindDefinition = {
  description: 'API user',
  role: 'account',
  schema: { type: 'object' },
  attributes: {
    email: { immutable: true },
    vendor: { fixedAtCreation: true, verifiable: false },
    level: { ref: 'Level', verifiable: false, update: 'manual', privilege: true },
    credentials: { local: true },
  },
  deleteMode: 'deactivate',
  deactivation: { attribute: 'active', value: false, activeValue: true },
  naturalKey: (spec) => String(spec.email),
  naturalKeyAttribute: 'email',
  ...declared({ create: 'manual', read: 'api', update: 'api', delete: 'none', rotate: 'manual' }, (req) => ({
    system: 'Test PSA',
    title: `${req.operation} API user ${req.naturalKey}`,
    uiPath: ['Admin', 'Users', '+ New API User'],
    fields: Object.entries(req.changes ?? req.attributes).map(([label, v]) => ({
      label,
      value: JSON.stringify(v),
    })),
    secrets: req.operation === 'create' ? [{ label: 'Secret', credential: 'secret' }] : [],
  })),
};
const level: KindDefinition = {
  description: 'security level',
  role: 'role',
  schema: { type: 'object' },
  attributes: { name: { verifiable: false }, tickets: { verifiable: false } },
  deleteMode: 'deactivate',
  deactivation: { attribute: 'active', value: false, activeValue: true },
  ...declared({ create: 'manual', read: 'none', update: 'manual', delete: 'none' }),
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
};
// Wires the user's generated key in: `{ ref: t/User/bot, output: key }`.
const link: KindDefinition = {
  description: 'integration link',
  role: 'connector',
  schema: { type: 'object' },
  attributes: { name: {}, userKey: {} },
  deleteMode: 'delete',
  ...declared({ create: 'api', read: 'api', update: 'api', delete: 'api' }),
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
};
const kinds: Record<string, KindDefinition> = { User: user, Level: level, Link: link };

function res(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  deps: string[] = [],
): DesiredResource {
  return {
    address: `t/${kind}/${name}`,
    provider: 't',
    kind,
    name,
    labels: {},
    spec,
    naturalKey: kinds[kind]!.naturalKey(spec),
    lifecycle: {},
    dependencies: deps,
    positionOf: () => ({ file: 'm.yaml', line: 1, column: 1 }),
  };
}

const levelSpec = { name: 'Alerts', tickets: 'edit' };
const userSpec = {
  email: 'alerts@example.com',
  vendor: 'Office Protect',
  level: { ref: 'Alerts' },
  active: true,
  credentials: { secret: Secret.pending('file:/tmp/never-written/secret'), rotateAfterDays: 200 },
};
const desiredAll = [res('Level', 'alerts', levelSpec), res('User', 'bot', userSpec, ['t/Level/alerts'])];

function fakeSystem() {
  const users = new Map<string, RemoteObject>();
  const links = new Map<string, RemoteObject>();
  const calls: string[] = [];
  let next = 100;
  const conn: KindSession = {
    async list({ kind }) {
      calls.push(`list ${kind}`);
      if (kind === 'Link') return { objects: [...links.values()].map((o) => structuredClone(o)) };
      if (kind !== 'User') throw new Error('levels cannot be listed');
      return { objects: [...users.values()].map((o) => structuredClone(o)) };
    },
    async read({ id }) {
      calls.push(`read ${id}`);
      return { object: users.get(id) };
    },
    async create({ kind, attributes }) {
      if (kind !== 'Link') throw new Error('the API cannot create users');
      calls.push(`create Link ${JSON.stringify(attributes)}`);
      const o: RemoteObject = {
        id: `K${next++}`,
        naturalKey: String(attributes.name),
        attributes: { ...attributes },
      };
      links.set(o.id, o);
      return { object: o };
    },
    async update({ id, changes }) {
      calls.push(`update ${id} ${JSON.stringify(changes)}`);
      const o = users.get(id)!;
      o.attributes = { ...o.attributes, ...changes };
      return { object: o };
    },
    async delete() {
      throw new Error('no delete');
    },
    async operate(req: OperateRequest) {
      calls.push(`operate ${req.operation} ${req.kind} ${req.naturalKey}`);
      if (req.operation === 'rotate')
        return {
          object: users.get(req.id!)!,
          secrets: { secret: new Secret('rotated-s3cr3t', 'generated') },
        };
      if (req.kind === 'Level')
        return { object: { id: `L-${req.naturalKey}`, naturalKey: req.naturalKey, attributes: {} } };
      const o: RemoteObject = {
        id: String(next++),
        naturalKey: req.naturalKey,
        attributes: { email: req.attributes.email, active: req.attributes.active },
        outputs: { key: `KEY-${next - 1}` },
      };
      users.set(o.id, o);
      return { object: o, secrets: { secret: new Secret('s3cr3t-shown-once', 'generated') } };
    },
    stats: () => ({ apiCalls: calls.length, throttled: 0 }),
    async close() {},
  };
  const { backend, stored } = memoryBackend();
  return { users, calls, conn, backend, state: () => structuredClone(stored()) };
}

async function planAgainst(sys: ReturnType<typeof fakeSystem>, over: Partial<PlanInput> = {}) {
  const state = sys.state();
  return assemblePlan({
    mode: 'normal',
    desired: desiredAll,
    order: ['t/Level/alerts', 't/User/bot'],
    state,
    // Refresh never lists a kind the system cannot read.
    remote: new Map([['t', new Map([['User', (await sys.conn.list!({ kind: 'User' })).objects]])]]),
    kindOf: (_p, k) => kinds[k],
    replace: new Set(),
    providers: [],
    sources: [],
    stats: { apiCalls: 0, apiCallsByProvider: {}, throttled: 0, refreshMs: 0, planMs: 0 },
    diagnostics: [],
    now: new Date('2026-06-01T00:00:00Z'),
    ...over,
  });
}

async function applyWith(
  sys: ReturnType<typeof fakeSystem>,
  plan: Awaited<ReturnType<typeof planAgainst>>,
  operator?: ManualOperator,
  stored: string[] = [],
) {
  const remote = new Map([['t', new Map([['User', (await sys.conn.list!({ kind: 'User' })).objects]])]]);
  return executePlan({
    plan,
    remote,
    connections: new Map([['t', sys.conn]]),
    kindOf: (_p, k) => kinds[k],
    backend: sys.backend,
    state: sys.state(),
    concurrency: 2,
    log: silentLogger,
    actor: 'alice',
    now: () => new Date('2026-06-01T00:00:00Z'),
    storeSecret: async (origin, value) => {
      stored.push(`${origin}=${value.reveal()}`);
      return undefined;
    },
    ...(operator ? { operator } : {}),
  });
}

describe('manual steps', () => {
  it('plans creates the UI alone can do as manual steps, with the runbook and what rests on attestation', async () => {
    const sys = fakeSystem();
    const plan = await planAgainst(sys);
    expect(sys.calls).toEqual(['list User']);
    expect(plan.summary).toMatchObject({ create: 2, manual: 2 });
    const [lvl, bot] = plan.changes;
    expect(lvl).toMatchObject({ action: 'create', execution: 'manual', attested: ['name', 'tickets'] });
    expect(bot).toMatchObject({
      action: 'create',
      execution: 'manual',
      attested: ['vendor', 'level'],
      credentials: { secret: 'file:/tmp/never-written/secret' },
      dependsOn: [0],
    });
    // roster's own attributes (credentials) are neither diffed nor sent.
    expect(bot!.after).not.toHaveProperty('credentials');
    expect(bot!.manual).toMatchObject({
      operation: 'create',
      runbook: { system: 'Test PSA', uiPath: ['Admin', 'Users', '+ New API User'] },
    });
    expect(JSON.stringify(plan)).not.toContain('rotateAfterDays');
  });

  it('without an operator leaves manual steps pending, records them, and holds back what waits for them', async () => {
    const sys = fakeSystem();
    const result = await applyWith(sys, await planAgainst(sys));
    expect(result.applied).toEqual([]);
    expect(result.failed).toEqual([]);
    expect(result.pending.map((p) => [p.change.address, p.reason])).toEqual([
      ['t/Level/alerts', 'manual step: a person does it in the system'],
      ['t/User/bot', 'waits for t/Level/alerts'],
    ]);
    expect(Object.keys(sys.state().pending ?? {})).toEqual(['t/Level/alerts', 't/User/bot']);
    expect(sys.calls).toEqual(['list User', 'list User']);
  });

  it('picks up a user the operator created from the runbook: readable attributes verified, the rest attested', async () => {
    const sys = fakeSystem();
    await applyWith(sys, await planAgainst(sys), new ConfirmedStepsOperator(new Set(['t/Level/alerts'])));
    expect(sys.state().resources['t/Level/alerts']?.attestations?.name).toEqual({
      by: 'alice',
      at: '2026-06-01T00:00:00.000Z',
      via: 'operator',
    });
    // The operator creates the user in the UI, as the runbook says.
    sys.users.set('7', {
      id: '7',
      naturalKey: 'alerts@example.com',
      attributes: { email: 'alerts@example.com', active: true },
    });
    const plan = await planAgainst(sys);
    expect(plan.changes.map((c) => [c.address, c.action, c.execution])).toEqual([
      ['t/User/bot', 'import', 'api'],
    ]);
    expect(plan.changes[0]!.attestFromRunbook).toEqual(['vendor', 'level']);
    const result = await applyWith(sys, plan);
    expect(result.pending).toEqual([]);
    const st = sys.state();
    expect(st.pending).toBeUndefined();
    expect(st.resources['t/User/bot']).toMatchObject({
      id: '7',
      attributes: {
        email: 'alerts@example.com',
        active: true,
        vendor: 'Office Protect',
        level: { ref: 'Alerts' },
      },
      attestations: { vendor: { by: 'alice', via: 'runbook' }, level: { by: 'alice', via: 'runbook' } },
    });
    expect((await planAgainst(sys)).changes).toEqual([]);
  });

  it('reports what the operator got wrong and keeps the step pending', async () => {
    const sys = fakeSystem();
    const wrong: ManualOperator = {
      canRetry: false,
      async perform(req: ManualStepRequest) {
        if (req.problems) return { status: 'pending', reason: 'not fixed' };
        if (req.change.kind === 'User')
          sys.users.set('9', {
            id: '9',
            naturalKey: 'alerts@example.com',
            attributes: { email: 'alerts@example.com', active: false },
          });
        return { status: 'done' };
      },
    };
    const result = await applyWith(sys, await planAgainst(sys), wrong);
    expect(result.pending.map((p) => p.reason)).toEqual([
      'verification failed: active is false in the system; the step says true',
    ]);
    expect(sys.state().resources['t/User/bot']).toBeUndefined();
    expect(sys.state().pending?.['t/User/bot']?.operation).toBe('create');
  });

  it('lets the sandbox operator do every step, storing the secret shown once where the manifest says', async () => {
    const sys = fakeSystem();
    const stored: string[] = [];
    const result = await applyWith(sys, await planAgainst(sys), new SandboxOperator(), stored);
    expect(result.pending).toEqual([]);
    expect(result.failed).toEqual([]);
    expect(stored).toEqual(['file:/tmp/never-written/secret=s3cr3t-shown-once']);
    expect(JSON.stringify(sys.state())).not.toContain('s3cr3t');
    expect(sys.state().resources['t/Level/alerts']?.id).toBe('L-Alerts');
    expect((await planAgainst(sys)).changes).toEqual([]);
  });

  it('plans a change of an unreadable, UI-only attribute as a manual step after the API part', async () => {
    const sys = fakeSystem();
    await applyWith(sys, await planAgainst(sys), new SandboxOperator());
    const changed = desiredAll.map((d) =>
      d.kind === 'User' ? { ...d, spec: { ...d.spec, level: { ref: 'Admins' }, active: false } } : d,
    );
    const plan = await planAgainst(sys, { desired: changed });
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({
      action: 'update',
      execution: 'manual',
      manual: { operation: 'update', apiAttributes: ['active'], attributes: ['level'] },
    });
    sys.calls.length = 0;
    const result = await applyWith(sys, plan, new ConfirmedStepsOperator(new Set(['t/User/bot'])));
    expect(result.pending).toEqual([]);
    expect(sys.calls.filter((c) => c.startsWith('update'))).toEqual(['update 100 {"active":false}']);
    expect(sys.state().resources['t/User/bot']?.attributes.level).toEqual({ ref: 'Admins' });
  });

  it('asks again for confirmations older than attestationMaxAgeDays', async () => {
    const sys = fakeSystem();
    await applyWith(sys, await planAgainst(sys), new SandboxOperator());
    const later = new Date('2026-10-01T00:00:00Z'); // 122 days on
    const plan = await planAgainst(sys, { now: later });
    expect(plan.changes.map((c) => [c.address, c.action, c.manual?.operation])).toEqual([
      ['t/Level/alerts', 'no-op', 'reconfirm'],
      ['t/User/bot', 'no-op', 'reconfirm'],
    ]);
    expect(plan.summary.manual).toBe(2);
    expect(plan.changes[1]!.reasons[0]!.message).toContain('last confirmation has expired');
    const relaxed = await planAgainst(sys, { now: later, attestationMaxAgeDays: new Map([['t', 180]]) });
    expect(relaxed.changes).toEqual([]);
  });

  it('rotates credentials once they are older than rotateAfterDays, and records when', async () => {
    const sys = fakeSystem();
    await applyWith(sys, await planAgainst(sys), new SandboxOperator());
    expect(sys.state().resources['t/User/bot']?.credentialsIssuedAt).toBe('2026-06-01T00:00:00.000Z');
    const later = { now: new Date('2027-01-01T00:00:00Z'), attestationMaxAgeDays: new Map([['t', 400]]) };
    const plan = await planAgainst(sys, later);
    expect(plan.changes.map((c) => [c.address, c.action, c.execution, c.manual?.operation])).toEqual([
      ['t/User/bot', 'rotate', 'manual', 'rotate'],
    ]);
    expect(plan.summary.rotate).toBe(1);
    expect(plan.changes[0]!.reasons[0]!.message).toBe(
      'credentials issued 2026-06-01 are 214 days old; rotateAfterDays is 200: new credentials are issued',
    );
    const stored: string[] = [];
    const result = await applyWith(sys, plan, new SandboxOperator(), stored);
    expect(result.pending).toEqual([]);
    expect(stored).toEqual(['file:/tmp/never-written/secret=rotated-s3cr3t']);
    // The executor's clock in these tests is 2026-06-01: the new issue date is the apply's.
    expect(sys.state().resources['t/User/bot']?.credentialsIssuedAt).toBe('2026-06-01T00:00:00.000Z');
    expect(sys.state().resources['t/User/bot']?.attestations?.vendor).toBeDefined();
  });

  it('warns when rotation is due but the system cannot rotate', async () => {
    const sys = fakeSystem();
    await applyWith(sys, await planAgainst(sys), new SandboxOperator());
    const saved = user.runbook?.rotate;
    delete user.runbook!.rotate;
    try {
      const plan = await planAgainst(sys, {
        now: new Date('2027-01-01T00:00:00Z'),
        attestationMaxAgeDays: new Map([['t', 400]]),
      });
      expect(plan.changes).toEqual([]);
      expect(plan.diagnostics.map((d) => [d.severity, d.code])).toEqual([
        ['warning', 'credentials.rotation-due'],
      ]);
    } finally {
      user.runbook!.rotate = saved;
    }
  });

  it('wires a value another resource produces ({ref, output}) at apply, keeping only the reference', async () => {
    const sys = fakeSystem();
    const wired = [
      ...desiredAll,
      res('Link', 'portal', { name: 'portal', userKey: { ref: 't/User/bot', output: 'key' } }, [
        't/User/bot',
      ]),
    ];
    const withLinks = async (over: Partial<PlanInput> = {}) => {
      const plan = await planAgainst(sys, {
        desired: wired,
        order: ['t/Level/alerts', 't/User/bot', 't/Link/portal'],
        ...over,
      });
      return plan;
    };
    const first = await withLinks({
      remote: new Map([
        [
          't',
          new Map([
            ['User', []],
            ['Link', []],
          ]),
        ],
      ]),
    });
    const linkChange = first.changes.find((c) => c.kind === 'Link')!;
    expect(linkChange.after).toEqual({ name: 'portal', userKey: { ref: 't/User/bot', output: 'key' } });
    const remote = new Map([
      [
        't',
        new Map([
          ['User', []],
          ['Link', []],
        ]),
      ],
    ]) as PlanInput['remote'];
    const result = await executePlan({
      plan: first,
      remote,
      connections: new Map([['t', sys.conn]]),
      kindOf: (_p, k) => kinds[k],
      backend: sys.backend,
      state: sys.state(),
      concurrency: 2,
      log: silentLogger,
      operator: new SandboxOperator(),
      storeSecret: async () => undefined,
    });
    expect(result.failed).toEqual([]);
    expect(sys.calls).toContain('create Link {"name":"portal","userKey":"KEY-100"}');
    expect(JSON.stringify(sys.state())).not.toContain('KEY-100');
    const users = (await sys.conn.list!({ kind: 'User' })).objects;
    const linksNow = (await sys.conn.list!({ kind: 'Link' })).objects;
    const again = await withLinks({
      remote: new Map([
        [
          't',
          new Map([
            ['User', users],
            ['Link', linksNow],
          ]),
        ],
      ]),
    });
    expect(again.changes).toEqual([]);
    expect(again.drift).toEqual([]);
  });
});
