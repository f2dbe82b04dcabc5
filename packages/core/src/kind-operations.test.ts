import { describe, expect, it } from 'vitest';
import { declared } from './kind-fixtures.testing.js';
import {
  apiMethod,
  apiMismatches,
  type KindSession,
  kindCapabilities,
  kindSession,
} from './kind-operations.js';
import type { KindDefinition, ProviderConnection } from './provider.js';

const base = { stats: () => ({ apiCalls: 0, throttled: 0 }), close: async () => {} };

const user: KindDefinition = {
  role: 'account',
  schema: {},
  description: 'test',
  attributes: {},
  deleteMode: 'delete',
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
};

describe('apiMismatches', () => {
  it('is empty for kinds that carry their operations and a connection that carries none', () => {
    const kinds = {
      User: { ...user, ...declared({ create: 'manual', read: 'api', update: 'api', delete: 'none' }) },
      Role: { ...user, ...declared({ create: 'manual', read: 'none', update: 'manual', delete: 'none' }) },
    };
    expect(apiMismatches(kinds, { ...base })).toEqual([]);
  });

  it('names an operation left on the connection: a stub, or an operation in the wrong place', () => {
    const conn = {
      ...base,
      delete: async () => {
        throw new Error('not by API');
      },
    } as ProviderConnection;
    expect(apiMismatches({ User: { ...user, ...declared({ create: 'manual' }) } }, conn)).toEqual([
      "the connection has delete: a kind's operations belong in its api, a sandbox's in its console",
    ]);
  });
});

describe('apiMethod', () => {
  it('calls the method on its session', async () => {
    const session: KindSession = {
      ...base,
      list: async () => ({ objects: [{ id: '1', naturalKey: 'a', attributes: {} }] }),
    };
    expect((await apiMethod(session, 'list', 'User')({ kind: 'User' })).objects).toHaveLength(1);
  });

  it('throws for a method the session lacks (a provider bug)', () => {
    expect(() => apiMethod({ ...base }, 'create', 'User')).toThrow(
      "User: an operation declared api needs the kind's create, which it lacks",
    );
  });
});

describe('kindCapabilities, from what a kind declares', () => {
  const step = () => ({ system: 'S', title: 't', uiPath: ['a'], fields: [] });
  const base = {
    role: 'account' as const,
    schema: {},
    description: 'test',
    attributes: {},
    deleteMode: 'deactivate' as const,
    naturalKey: (spec: Record<string, unknown>) => String(spec.name),
    naturalKeyAttribute: 'name',
  };

  it('is api where the kind has the method, manual where its runbook has a step, none otherwise', () => {
    const def: KindDefinition = {
      ...base,
      api: {
        list: async () => ({ objects: [] }),
        read: async () => ({ object: undefined }),
        update: async (r) => ({ object: r.prior }),
      },
      runbook: { create: step, rotate: step },
    };
    expect(kindCapabilities(def)).toEqual({
      create: 'manual',
      read: 'api',
      update: 'api',
      delete: 'none',
      rotate: 'manual',
    });
  });

  it('is none everywhere for a kind with neither (nothing roster can do but plan)', () => {
    expect(kindCapabilities({ ...base })).toEqual({
      create: 'none',
      read: 'none',
      update: 'none',
      delete: 'none',
      rotate: 'none',
    });
  });

  it('names a readable kind with only one of list and read, and a manual attribute without an update step', () => {
    const def: KindDefinition = {
      ...base,
      attributes: { note: { update: 'manual' } },
      api: { list: async () => ({ objects: [] }), update: async (r) => ({ object: r.prior }) },
    };
    const conn: ProviderConnection = { stats: () => ({ apiCalls: 0, throttled: 0 }), close: async () => {} };
    expect(apiMismatches({ User: def }, conn)).toEqual([
      'User is readable by API but has only list: give it both',
      "User.note is updated by hand, but the kind's runbook has no update step",
    ]);
  });
});

describe('kindSession', () => {
  it("dispatches each operation to the kind named in the request, with the provider's connection", async () => {
    const conn = {
      stats: () => ({ apiCalls: 7, throttled: 0 }),
      close: async () => {},
      tag: 'the connection',
    };
    const seen: string[] = [];
    const kindWith = (name: string): KindDefinition => ({
      role: 'account',
      schema: {},
      description: name,
      attributes: {},
      deleteMode: 'delete',
      naturalKey: (s) => String(s.name),
      naturalKeyAttribute: 'name',
      api: {
        async list(req) {
          seen.push(`${name} ${req.kind} ${(req.connection as typeof conn).tag}`);
          return { objects: [] };
        },
        async read() {
          return { object: undefined };
        },
      },
    });
    const session = kindSession({ A: kindWith('A'), B: kindWith('B') }, conn);
    await apiMethod(session, 'list', 'B')({ kind: 'B' });
    await apiMethod(session, 'list', 'A')({ kind: 'A' });
    expect(seen).toEqual(['B B the connection', 'A A the connection']);
    expect(session.stats().apiCalls).toBe(7);
    expect(session.create).toBeUndefined();
    expect(() => apiMethod(session, 'create', 'A')).toThrow(
      "A: an operation declared api needs the kind's create",
    );
  });

  it('passes on the attribute rules the connection states about its system', () => {
    const rules = { A: { name: { immutable: true } } };
    expect(kindSession({}, { ...base, attributeRules: () => rules }).attributeRules?.()).toBe(rules);
    expect(kindSession({}, base).attributeRules).toBeUndefined();
  });
});
