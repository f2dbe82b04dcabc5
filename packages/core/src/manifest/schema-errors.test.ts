import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../provider.js';
import { Secret } from '../secret.js';
import { SchemaValidator } from './schema-validator.js';

const validator = new SchemaValidator();
const messages = (schema: JsonSchema, value: unknown) => {
  const r = validator.check(schema, value, '/spec');
  if ('schemaError' in r) throw new Error(r.schemaError);
  return r.problems.map((p) => `${p.pointer} (${p.at}): ${p.message}`);
};

describe('describeSchemaErrors', () => {
  const ref = {
    type: 'object',
    required: ['ref'],
    properties: { ref: { type: 'string' } },
    additionalProperties: false,
  };

  it('says which field is missing, unknown or wrong, once each', () => {
    const schema = {
      type: 'object',
      required: ['id', 'email'],
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 4 },
        tags: { type: 'array', minItems: 1, uniqueItems: true },
        mode: { const: 'fast' },
        email: { type: 'string' },
        'odd key': { type: 'integer' },
      },
      additionalProperties: false,
    };
    expect(messages(schema, { id: 'toolong', tags: [], mode: 'slow', emial: 'x', 'odd key': 'x' })).toEqual([
      '/spec (key): missing required field spec.email',
      '/spec/emial (key): unknown field spec.emial (did you mean email?)',
      '/spec/id (value): spec.id must be at most 4 characters',
      '/spec/tags (value): spec.tags must not be empty',
      '/spec/mode (value): spec.mode must be fast',
      '/spec/odd key (value): spec["odd key"] must be an integer',
    ]);
  });

  it('reports the branch a value was meant for, not every failed branch', () => {
    const schema = { type: 'object', properties: { who: { oneOf: [{ type: 'string' }, ref] } } };
    expect(messages(schema, { who: { ref: 'a', extra: 1 } })).toEqual([
      '/spec/who/extra (key): unknown field spec.who.extra',
    ]);
    expect(messages(schema, { who: 7 })).toEqual([
      '/spec/who (value): spec.who must be one of: a string; an object with ref',
    ]);
  });

  it('follows branches reached through $ref', () => {
    const schema = {
      type: 'object',
      $defs: { ref },
      properties: { who: { anyOf: [{ const: 'nobody' }, { $ref: '#/$defs/ref' }] } },
    };
    expect(messages(schema, { who: {} })).toEqual(['/spec/who (key): missing required field spec.who.ref']);
  });

  it('says when a value matches more than one branch of a oneOf', () => {
    const schema = {
      type: 'object',
      properties: { n: { oneOf: [{ type: 'integer' }, { type: 'number' }] } },
    };
    expect(messages(schema, { n: 1 })).toEqual([
      '/spec/n (value): spec.n matches more than one of the allowed forms; make it match exactly one',
    ]);
  });

  it('drops the if/then wrapper and keeps what then requires', () => {
    const schema = {
      type: 'object',
      if: { properties: { kind: { const: 'a' } }, required: ['kind'] },
      // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, not a promise
      then: { required: ['a'] },
    };
    expect(messages(schema, { kind: 'a' })).toEqual(['/spec (key): missing required field spec.a']);
  });

  it('sees a secret as a string, and never its value', () => {
    const schema = { type: 'object', properties: { s: { type: 'integer' }, t: { type: 'string' } } };
    expect(messages(schema, { s: new Secret('hunter2', 'env:S'), t: new Secret('x', 'env:T') })).toEqual([
      '/spec/s (value): spec.s must be an integer',
    ]);
  });

  it('reports a broken schema instead of throwing', () => {
    expect(validator.check({ type: 'nonsense' }, {}, '/spec')).toMatchObject({
      schemaError: expect.any(String),
    });
  });
});
