import { describe, expect, it } from 'vitest';
import type { KindDefinition, ProviderConnection } from '../provider.js';
import { withConnectionRules } from './connection-rules.js';

const kind: KindDefinition = {
  role: 'account',
  description: 'an account',
  schema: { type: 'object', properties: { name: { type: 'string' }, code: { type: 'string' } } },
  attributes: { name: { privilege: false } },
  deleteMode: 'delete',
  naturalKey: (s) => String(s.name),
  naturalKeyAttribute: 'name',
};

const conn = (rules?: ProviderConnection['attributeRules']): ProviderConnection => ({
  stats: () => ({ apiCalls: 0, throttled: 0 }),
  close: async () => {},
  ...(rules ? { attributeRules: rules } : {}),
});

describe('withConnectionRules', () => {
  it("merges what a connection states over the kind's rules, for that provider instance only", () => {
    const kindOf = withConnectionRules((_p, k) => (k === 'Account' ? kind : undefined), {
      byName: new Map([
        [
          'a',
          conn(() => ({
            Account: { code: { immutable: true }, name: { writeOnly: true }, unknown: { immutable: true } },
          })),
        ],
        ['b', conn()],
      ]),
    });
    expect(kindOf('a', 'Account')?.attributes).toEqual({
      name: { privilege: false, writeOnly: true },
      code: { immutable: true },
    });
    expect(kindOf('b', 'Account')).toBe(kind);
    expect(kindOf('a', 'Other')).toBeUndefined();
    // The declaration itself is left as it was.
    expect(kind.attributes).toEqual({ name: { privilege: false } });
  });

  it('asks each connection once', () => {
    let asked = 0;
    const kindOf = withConnectionRules(() => kind, {
      byName: new Map([
        [
          'a',
          conn(() => {
            asked++;
            return { Account: { code: { immutable: true } } };
          }),
        ],
      ]),
    });
    kindOf('a', 'Account');
    kindOf('a', 'Account');
    expect(asked).toBe(1);
  });
});
