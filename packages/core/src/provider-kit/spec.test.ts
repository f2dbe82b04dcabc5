import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  bool,
  choice,
  credentials,
  int,
  list,
  map,
  obj,
  oneOf,
  ref,
  refs,
  type SpecOf,
  secretPlace,
  spec,
  str,
} from './spec.js';

describe('spec builders', () => {
  it('write each attribute once: schema properties in declaration order, rules beside them', () => {
    const token = spec(
      {
        name: str({ minLength: 1, maxLength: 100, doc: 'The token name.', immutable: true, summary: 'Name' }),
        scopes: list(choice(['read', 'write']), {
          uniqueItems: true,
          set: true,
          privilege: true,
          absent: [],
        }),
        level: ref('SecurityLevel', { doc: 'Its level.', privilege: true }),
        active: bool({ default: true }),
        tries: int({ minimum: 1, maximum: 5 }),
        credentials: credentials(
          { secret: secretPlace({ doc: 'Where the token is.' }) },
          { doc: 'Kept by roster.' },
        ),
      },
      { required: ['name', 'level'], $id: 'https://example.test/Token.schema.json', title: 'Token' },
    );
    expect(JSON.stringify(token.schema, null, 1)).toMatchInlineSnapshot(`
      "{
       "$id": "https://example.test/Token.schema.json",
       "title": "Token",
       "type": "object",
       "additionalProperties": false,
       "required": [
        "name",
        "level"
       ],
       "properties": {
        "name": {
         "type": "string",
         "minLength": 1,
         "maxLength": 100,
         "description": "The token name."
        },
        "scopes": {
         "type": "array",
         "uniqueItems": true,
         "items": {
          "enum": [
           "read",
           "write"
          ]
         }
        },
        "level": {
         "type": "object",
         "description": "Its level.",
         "required": [
          "ref"
         ],
         "properties": {
          "ref": {
           "type": "string",
           "description": "metadata.name of the referenced resource (same provider)"
          }
         },
         "additionalProperties": false
        },
        "active": {
         "type": "boolean",
         "default": true
        },
        "tries": {
         "type": "integer",
         "minimum": 1,
         "maximum": 5
        },
        "credentials": {
         "type": "object",
         "additionalProperties": false,
         "description": "Kept by roster.",
         "properties": {
          "secret": {
           "type": "string",
           "description": "Where the token is."
          }
         }
        }
       }
      }"
    `);
    expect(token.attributes).toEqual({
      name: { immutable: true, description: 'Name' },
      scopes: { set: true, privilege: true, absent: [] },
      level: { ref: 'SecurityLevel', privilege: true },
      credentials: { local: true },
    });
  });

  it('merge the defaults under every rule except local ones', () => {
    const s = spec(
      { a: str(), b: str({ update: 'api' }), c: credentials({}) },
      { defaults: { verifiable: false, update: 'manual' } },
    );
    expect(s.attributes).toEqual({
      a: { verifiable: false, update: 'manual' },
      b: { verifiable: false, update: 'api' },
      c: { local: true },
    });
  });

  it('declare unions, maps and ref lists as providers write them by hand', () => {
    expect(
      oneOf(
        [obj({ staff: str() }, { required: ['staff'] }), obj({ contact: str() }, { required: ['contact'] })],
        {
          doc: 'Owner.',
        },
      ).schema,
    ).toEqual({
      description: 'Owner.',
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['staff'],
          properties: { staff: { type: 'string' } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['contact'],
          properties: { contact: { type: 'string' } },
        },
      ],
    });
    expect(map(list(choice(['Read']), { minItems: 1 }), { keys: '^[^:]+$', doc: 'Rights.' }).schema).toEqual({
      type: 'object',
      description: 'Rights.',
      propertyNames: { pattern: '^[^:]+$' },
      additionalProperties: { type: 'array', minItems: 1, items: { enum: ['Read'] } },
    });
    const roles = refs('Group', { item: 'A Group.', doc: 'Groups.', privilege: true, absent: [] });
    expect(roles.rule).toEqual({ set: true, ref: 'Group', privilege: true, absent: [] });
    expect(roles.schema).toEqual({
      type: 'array',
      description: 'Groups.',
      items: {
        type: 'object',
        description: 'A Group.',
        required: ['ref'],
        properties: {
          ref: { type: 'string', description: 'metadata.name of the referenced resource (same provider)' },
        },
        additionalProperties: false,
      },
    });
  });

  it('infer the TypeScript type of spec from the same declaration', () => {
    const s = spec(
      {
        name: str(),
        kind: choice(['a', 'b']),
        code: str({ enum: ['x', 'y'] }),
        tags: list(str()),
        owner: oneOf([
          obj({ staff: str() }, { required: ['staff'] }),
          obj({ contact: str() }, { required: ['contact'] }),
        ]),
        groups: refs('Group', { item: 'A Group.' }),
        perms: map(list(choice(['Read', 'Update']))),
        on: bool(),
        n: int(),
        credentials: credentials({ secret: secretPlace(), rotateAfterDays: int() }),
      },
      { required: ['name', 'owner'] },
    );
    expectTypeOf<SpecOf<typeof s>>().toEqualTypeOf<{
      name: string;
      owner: { staff: string } | { contact: string };
      kind?: 'a' | 'b';
      code?: 'x' | 'y';
      tags?: string[];
      groups?: Array<{ ref: string }>;
      perms?: Record<string, Array<'Read' | 'Update'>>;
      on?: boolean;
      n?: number;
      credentials?: { secret?: string; rotateAfterDays?: number };
    }>();
    expectTypeOf<SpecOf<typeof s>>().not.toEqualTypeOf<{ name: string }>();
  });
});
