import { describe, expect, it } from 'vitest';
import type { Provider } from '../provider.js';
import { buildEnvelopeSchema } from './envelope-schema.js';
import { fake, other } from './fixtures.testing.js';

const kindOf = (schema: Record<string, unknown>) =>
  (schema.properties as Record<string, { enum: string[]; description: string }>).kind!;

describe('buildEnvelopeSchema', () => {
  it("enumerates the project kinds and the providers' kinds, each described by its role and types", () => {
    const token: Provider = {
      ...fake,
      type: 'tokens',
      kinds: { ApiToken: { ...fake.kinds.ServiceAccount!, role: 'account' } },
    };
    const schema = buildEnvelopeSchema([fake, other, token]);
    expect(kindOf(schema).enum).toEqual([
      'Provider',
      'SecurityLevel',
      'Group',
      'ServiceAccount',
      'Connector',
      'ApiToken',
      'Policy',
      'Backend',
    ]);
    expect(kindOf(schema).description).toContain(
      'ApiToken: an account integrations sign in as (API user, web services user, integration account, token user) (provider types: tokens).',
    );
    expect(kindOf(schema).description).toContain(
      'Connector: an app connector or connection (provider types: other).',
    );
    const rule = (schema.allOf as Array<Record<string, unknown>>).find(
      (r) => r.$comment === 'Every other kind lives in a provider.',
    );
    expect(rule).toMatchObject({
      if: {
        properties: { kind: { enum: ['SecurityLevel', 'Group', 'ServiceAccount', 'Connector', 'ApiToken'] } },
      },
    });
  });

  it('gives the same object for the same providers (compiled once), another for others', () => {
    expect(buildEnvelopeSchema([fake, other])).toBe(buildEnvelopeSchema([fake, other]));
    expect(buildEnvelopeSchema([fake])).not.toBe(buildEnvelopeSchema([fake, other]));
  });

  it('without providers, knows only the project kinds', () => {
    const schema = buildEnvelopeSchema([]);
    expect(kindOf(schema).enum).toEqual(['Provider', 'Policy', 'Backend']);
    expect((schema.allOf as unknown[]).length).toBe(2);
  });
});
