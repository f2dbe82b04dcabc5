import { describe, expect, it } from 'vitest';
import { apiMethod, apiMismatches } from './api-methods.js';
import type { Execution, KindDefinition, ProviderConnection } from './provider.js';

const base = { stats: () => ({ apiCalls: 0, throttled: 0 }), close: async () => {} };

function kind(
  create: Execution,
  read: Execution,
  update: Execution,
  del: Execution,
  rotate?: Execution,
): KindDefinition {
  return {
    role: 'account',
    schema: {},
    description: 'test',
    attributes: {},
    deleteMode: 'delete',
    capabilities: { create, read, update, delete: del },
    ...(rotate ? { rotate } : {}),
    naturalKey: (spec) => String(spec.name),
    naturalKeyAttribute: 'name',
  };
}

describe('apiMismatches', () => {
  it('is empty when the methods are exactly those some kind declares api', () => {
    const conn: ProviderConnection = {
      ...base,
      list: async () => ({ objects: [] }),
      read: async () => ({ object: undefined }),
      update: async (req) => ({ object: req.prior }),
    };
    const kinds = {
      User: kind('manual', 'api', 'api', 'none'),
      Role: kind('manual', 'none', 'manual', 'none'),
    };
    expect(apiMismatches(kinds, conn)).toEqual([]);
  });

  it('names an operation declared api whose method the connection lacks', () => {
    const conn: ProviderConnection = { ...base, list: async () => ({ objects: [] }) };
    expect(apiMismatches({ User: kind('api', 'api', 'manual', 'none', 'api') }, conn)).toEqual([
      'User declares create: api, but the connection has no create',
      'User declares read: api, but the connection has no read',
      'User declares rotate: api, but the connection has no rotate',
    ]);
  });

  it('names a method no kind declares api for: a stub', () => {
    const conn: ProviderConnection = {
      ...base,
      delete: async () => {
        throw new Error('not by API');
      },
    };
    expect(apiMismatches({ User: kind('manual', 'none', 'manual', 'manual') }, conn)).toEqual([
      'the connection has delete, but no kind declares its operation api',
    ]);
  });
});

describe('apiMethod', () => {
  it('calls the method on its connection', async () => {
    class Conn implements ProviderConnection {
      #objects = [{ id: '1', naturalKey: 'a', attributes: {} }];
      async list() {
        return { objects: this.#objects };
      }
      stats() {
        return { apiCalls: 0, throttled: 0 };
      }
      async close() {}
    }
    expect((await apiMethod(new Conn(), 'list', 'User')({ kind: 'User' })).objects).toHaveLength(1);
  });

  it('throws for a method the connection lacks (a provider bug)', () => {
    expect(() => apiMethod({ ...base }, 'create', 'User')).toThrow(
      "User: an operation declared api needs the connection's create, which it lacks",
    );
  });
});
