import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// Only what `@roster/core` exports: a provider package sees no more.
import {
  Connections,
  emptyStateDocument,
  executePlan,
  formatDiagnostic,
  type JsonSchema,
  type KindApi,
  type KindDefinition,
  LocalStateBackend,
  makePlan,
  openProject,
  type Project,
  type Provider,
  type ProviderConnection,
  type RemoteObject,
  type StateDocument,
  silentLogger,
  testAccounts,
} from '../index.js';

// A provider with kinds core has never heard of (ApiToken, Scope, Webhook), declared only here:
// proof that a kind is added by its provider alone, and that core goes by its role.

const ref: JsonSchema = {
  type: 'object',
  required: ['ref'],
  properties: { ref: { type: 'string' } },
  additionalProperties: false,
};

/** An in-memory system: objects by kind, references stored as the target's natural key. */
function memorySystem() {
  const objects = new Map<string, RemoteObject & { kind: string }>();
  const calls: string[] = [];
  let next = 1;
  // What the system reads back: a resolved reference `{ref, id}` is just the target's key.
  const stored = (attributes: Record<string, unknown>) =>
    JSON.parse(
      JSON.stringify(attributes, (_k, v) =>
        v && typeof v === 'object' && 'ref' in v ? { ref: (v as { ref: string }).ref } : v,
      ),
    ) as Record<string, unknown>;
  // The kinds' operations: each takes its request with the connection; this system needs none of it.
  const api: KindApi = {
    async list({ kind }) {
      return { objects: [...objects.values()].filter((o) => o.kind === kind) };
    },
    async read({ id }) {
      return { object: objects.get(id) };
    },
    async create({ kind, attributes }) {
      const naturalKey = String(attributes.name ?? attributes.url);
      calls.push(`create ${kind} ${naturalKey}`);
      const o = { kind, id: String(next++), naturalKey, attributes: stored(attributes) };
      objects.set(o.id, o);
      return { object: o };
    },
    async update({ kind, id, changes }) {
      calls.push(`update ${kind} ${id}`);
      const o = objects.get(id)!;
      o.attributes = { ...o.attributes, ...stored(changes) };
      return { object: o };
    },
    async delete({ kind, id }) {
      calls.push(`delete ${kind} ${id}`);
      objects.delete(id);
      return {};
    },
  };
  const test: KindApi['test'] = async ({ naturalKey }) => ({
    authenticated: true,
    permission: { ok: true, checked: `token ${naturalKey} listed its scopes` },
  });
  // The session `connect` opens: only what every kind shares, no operation of any kind.
  const conn: ProviderConnection = {
    stats: () => ({ apiCalls: calls.length, throttled: 0 }),
    async close() {},
  };
  return { api, test, conn, calls };
}

const system = memorySystem();

const scope: KindDefinition = {
  role: 'role',
  description: 'a set of API permissions',
  schema: {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string' }, grants: { type: 'array', items: { type: 'string' } } },
    additionalProperties: false,
  },
  attributes: { name: { immutable: true }, grants: { set: true } },
  deleteMode: 'delete',
  api: system.api,
  naturalKey: (s) => String(s.name),
  naturalKeyAttribute: 'name',
};

const apiToken: KindDefinition = {
  role: 'account',
  description: 'a token an integration signs in with',
  schema: {
    type: 'object',
    required: ['name', 'contact', 'flavour'],
    properties: {
      name: { type: 'string' },
      contact: { type: 'string' },
      flavour: { enum: ['classic', 'fine-grained'] },
      scopes: { type: 'array', items: ref },
    },
    additionalProperties: false,
  },
  attributes: {
    name: { immutable: true },
    flavour: { fixedAtCreation: true },
    scopes: { ref: 'Scope', set: true, privilege: true, absent: [] },
  },
  deleteMode: 'delete',
  api: { ...system.api, test: system.test },
  naturalKey: (s) => String(s.name),
  naturalKeyAttribute: 'name',
  permissions: ({ resource, world }) =>
    ((resource.attributes.scopes as unknown[] | undefined) ?? []).flatMap((r, i) =>
      ((world.resolve(resource, 'Scope', r)?.attributes.grants as string[] | undefined) ?? []).map(
        (name) => ({
          name,
          pointer: `/spec/scopes/${i}`,
        }),
      ),
    ),
};

const webhook: KindDefinition = {
  role: 'connector',
  description: 'a callback that signs its calls with a token',
  schema: {
    type: 'object',
    required: ['url', 'token'],
    properties: { url: { type: 'string' }, token: ref },
    additionalProperties: false,
  },
  attributes: { url: { immutable: true }, token: { ref: 'ApiToken' } },
  deleteMode: 'delete',
  api: system.api,
  naturalKey: (s) => String(s.url),
  naturalKeyAttribute: 'url',
};

const tokens: Provider = {
  type: 'tokens',
  displayName: 'Tokens',
  description: 'an in-memory system of API tokens',
  configSchema: {
    type: 'object',
    required: ['type'],
    properties: { type: { const: 'tokens' } },
    additionalProperties: false,
  },
  kinds: { Scope: scope, ApiToken: apiToken, Webhook: webhook },
  connect: async () => system.conn,
};

const MANIFESTS = `apiVersion: roster/v1
kind: Provider
metadata: { name: t }
spec: { type: tokens }
---
apiVersion: roster/v1
kind: Scope
metadata: { name: read, provider: t }
spec: { name: read, grants: [repo:read, issues:read] }
---
apiVersion: roster/v1
kind: ApiToken
metadata: { name: ci, provider: t }
spec: { name: ci-bot, contact: jane.doe@example.com, flavour: classic, scopes: [{ ref: read }] }
---
apiVersion: roster/v1
kind: Webhook
metadata: { name: deploy, provider: t }
spec: { url: https://ci.example.com/hook, token: { ref: ci } }
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function projectDir(manifests: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-new-kind-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, '.roster'), { mode: 0o700 });
  writeFileSync(path.join(dir, 'tokens.yaml'), manifests);
  return dir;
}

async function open(dir: string): Promise<Project> {
  const project = await openProject({ paths: ['.'], cwd: dir, providers: [tokens], env: {} });
  expect(project.diagnostics.map(formatDiagnostic)).toEqual([]);
  return project;
}

async function plan(project: Project, state: StateDocument) {
  const connections = await Connections.open({
    providers: project.providers.values(),
    stateDir: project.stateDir,
    readOnly: false,
    log: silentLogger,
  });
  const made = await makePlan({ project, state, connections, mode: 'normal', log: silentLogger });
  return { ...made, connections };
}

describe('a kind core has never heard of, declared by its provider alone', () => {
  it('is loaded, planned, applied, recorded in state, then planned as no change', async () => {
    const dir = projectDir(MANIFESTS);
    const project = await open(dir);
    expect(project.desired.map((d) => d.address)).toEqual([
      't/Scope/read',
      't/ApiToken/ci',
      't/Webhook/deploy',
    ]);

    const first = await plan(project, emptyStateDocument());
    expect(first.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      'create t/Scope/read',
      'create t/ApiToken/ci',
      'create t/Webhook/deploy',
    ]);
    // The account-role kind is what policies judge and what effective permissions are shown for.
    expect(first.plan.findings.map((f) => `${f.policy} ${f.address}`).sort()).toEqual([
      'labels-required t/ApiToken/ci',
      'personal-email t/ApiToken/ci',
    ]);
    expect(first.plan.permissions).toEqual([
      {
        address: 't/ApiToken/ci',
        provider: 't',
        kind: 'ApiToken',
        before: [],
        after: ['issues:read', 'repo:read'],
        gained: ['issues:read', 'repo:read'],
        lost: [],
      },
    ]);

    const backend = new LocalStateBackend({ dir: project.stateDir });
    const applied = await executePlan({
      plan: first.plan,
      remote: first.remote,
      connections: first.connections.byName,
      kindOf: project.kindOf,
      backend,
      state: emptyStateDocument(),
      concurrency: 2,
      log: silentLogger,
    });
    await first.connections.close();
    expect(applied.failed).toEqual([]);
    expect(system.calls).toEqual([
      'create Scope read',
      'create ApiToken ci-bot',
      'create Webhook https://ci.example.com/hook',
    ]);

    const state = await backend.read();
    expect(Object.keys(state.resources).sort()).toEqual([
      't/ApiToken/ci',
      't/Scope/read',
      't/Webhook/deploy',
    ]);
    expect(state.resources['t/Webhook/deploy']?.attributes.token).toEqual({ ref: 'ci-bot' });

    const second = await plan(project, state);
    await second.connections.close();
    expect(second.plan.changes).toEqual([]);
    expect(second.plan.drift).toEqual([]);

    // `roster test` signs in as accounts: the ApiToken, not the Scope or the Webhook.
    const tested = await plan(project, state);
    const rows = await testAccounts({ project, state, connections: tested.connections });
    await tested.connections.close();
    expect(rows.map((r) => `${r.address} ${r.status}`)).toEqual(['t/ApiToken/ci pass']);

    // Replacing an account warns that its integrations lose their credentials.
    const changed = await open(projectDir(MANIFESTS.replace('flavour: classic', 'flavour: fine-grained')));
    const third = await plan(changed, state);
    await third.connections.close();
    const replace = third.plan.changes.find((c) => c.address === 't/ApiToken/ci');
    expect(replace?.action).toBe('replace');
    expect(replace?.reasons.map((r) => r.message).join('\n')).toContain(
      'the new account gets new credentials and integrations using the old one break',
    );
  });
});
