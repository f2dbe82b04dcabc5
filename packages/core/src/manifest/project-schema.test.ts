import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { JsonSchema, Provider } from '../provider.js';
import { buildProjectSchema, PROJECT_SCHEMA_DIALECT, providerInstances } from './project-schema.js';
import type { ManifestDocument } from './types.js';

/** A provider type with one kind, ServiceAccount, whose spec must have `field` of the given type. */
function fakeProvider(type: string, field: string, fieldType: string): Provider {
  const strict = (properties: Record<string, unknown>, required: string[]): JsonSchema =>
    ({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `https://example.test/${type}`,
      type: 'object',
      additionalProperties: false,
      properties,
      required,
    }) as JsonSchema;
  return {
    type,
    displayName: type,
    description: type,
    configSchema: strict({ type: { const: type }, endpoint: { type: 'string' } }, ['type']),
    kinds: { ServiceAccount: { role: 'account', schema: strict({ [field]: { type: fieldType } }, [field]) } },
  } as unknown as Provider;
}

const providers = [fakeProvider('alpha', 'colour', 'string'), fakeProvider('beta', 'size', 'integer')];
const instances = new Map([
  ['a1', 'alpha'],
  ['b1', 'beta'],
  ['z1', 'no-such-type'],
]);
const validate = new Ajv({ strict: false }).compile(buildProjectSchema({ instances, providers }));

const thing = (provider: string, spec: Record<string, unknown>) => ({
  apiVersion: 'roster/v1',
  kind: 'ServiceAccount',
  metadata: { name: 'one', provider },
  spec,
});

describe('buildProjectSchema', () => {
  it('is draft-07 and names no nested dialect', () => {
    const schema = buildProjectSchema({ instances, providers }) as Record<string, unknown>;
    expect(schema.$schema).toBe(PROJECT_SCHEMA_DIALECT);
    expect(JSON.stringify(schema)).not.toContain('example.test');
  });

  it("holds a resource's spec to its provider instance's type's kind schema", () => {
    const ok = (d: unknown) => validate(d);
    expect(ok(thing('a1', { colour: 'red' }))).toBe(true);
    expect(ok(thing('b1', { size: 3 }))).toBe(true);
    expect(ok(thing('a1', { size: 3 }))).toBe(false);
    expect(ok(thing('b1', { colour: 'red' }))).toBe(false);
    expect(ok(thing('a1', { colour: 'red', colur: 'red' }))).toBe(false);
  });

  it('holds a Provider document to its type configuration schema', () => {
    const provider = (spec: Record<string, unknown>) => ({
      apiVersion: 'roster/v1',
      kind: 'Provider',
      metadata: { name: 'a1' },
      spec,
    });
    expect(validate(provider({ type: 'alpha', endpoint: 'sandbox' }))).toBe(true);
    expect(validate(provider({ type: 'alpha', endpiont: 'sandbox' }))).toBe(false);
  });

  it('accepts the kinds the providers declare, and no other', () => {
    const hooks = {
      ...fakeProvider('hooks', 'url', 'string'),
      kinds: { Webhook: { role: 'connector', schema: { type: 'object', required: ['url'] } } },
    } as unknown as Provider;
    const withHooks = new Ajv({ strict: false }).compile(
      buildProjectSchema({
        instances: new Map([...instances, ['h1', 'hooks']]),
        providers: [...providers, hooks],
      }),
    );
    const hook = (kind: string) => ({
      apiVersion: 'roster/v1',
      kind,
      metadata: { name: 'w', provider: 'h1' },
      spec: {},
    });
    expect(withHooks({ ...hook('Webhook'), spec: { url: 'https://example.com' } })).toBe(true);
    expect(withHooks(hook('Webhook'))).toBe(false); // its spec is held to the kind's schema
    expect(validate({ ...hook('Webhook'), metadata: { name: 'w', provider: 'a1' } })).toBe(false);
    expect(withHooks(hook('Group'))).toBe(false);
  });

  it('refuses a provider the project does not declare', () => {
    const errors = () => (validate.errors ?? []).map((e) => e.instancePath);
    validate(thing('nope', { colour: 'red' }));
    expect(errors()).toContain('/metadata/provider');
  });
});

describe('providerInstances', () => {
  it('maps Provider documents with a string spec.type, and nothing else', () => {
    const doc = (kind: string, name: string, spec: Record<string, unknown>) =>
      ({ kind, name, spec }) as unknown as ManifestDocument;
    expect(
      providerInstances([
        doc('Provider', 'a1', { type: 'alpha' }),
        doc('Provider', 'broken', {}),
        doc('ServiceAccount', 't', { type: 'alpha' }),
      ]),
    ).toEqual(new Map([['a1', 'alpha']]));
  });
});
