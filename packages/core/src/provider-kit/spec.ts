import type { AttributeRule, JsonSchema } from '../provider.js';
import { refSchema } from './ref-schema.js';

/**
 * What one attribute declares besides its JSON Schema: its `AttributeRule` (only meaningful on a
 * kind's top-level attributes) and `summary`, the rule's one line for `roster providers`.
 */
export type RuleOptions = Omit<AttributeRule, 'description'> & {
  /** The rule's one line for `roster providers` (`AttributeRule.description`). */
  summary?: string;
};

/** Options every builder takes: the schema's `description` (`doc`) and the attribute's rule. */
export type FieldOptions<T> = RuleOptions & {
  /** The JSON Schema `description`: what editors show and the docs print. */
  doc?: string;
  /** The JSON Schema `default`. */
  default?: T;
};

// Carries a declaration's TypeScript type for `SpecOf`; a type-level key, never set at run time.
declare const TYPE: unique symbol;

/** One declared attribute: its JSON Schema, its rule and (type-level only) its value's type `T`. */
export interface Field<T> {
  readonly schema: JsonSchema;
  readonly rule: AttributeRule;
  readonly [TYPE]?: T;
}

/** The TypeScript type of a field's value. */
export type ValueOf<F> = F extends Field<infer T> ? T : never;

type Fields = Record<string, Field<unknown>>;

// Intersections print badly in editors; flattening shows `{ name: string; … }`.
type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** The object type of `fields`, the keys in `R` required, the others optional. */
export type ObjectOf<F extends Fields, R extends keyof F> = Flatten<
  { [K in R]: ValueOf<F[K]> } & { [K in Exclude<keyof F, R>]?: ValueOf<F[K]> }
>;

/** A kind's spec declared once: the JSON Schema of `spec`, its `attributes` rules and (type-level) its type `T`. */
export interface Spec<T> {
  readonly schema: JsonSchema;
  readonly attributes: Record<string, AttributeRule>;
  readonly [TYPE]?: T;
}

/** The TypeScript type of a spec declared with `spec(...)`: `type ConnectorSpec = SpecOf<typeof connector>`. */
export type SpecOf<S> = S extends Spec<infer T> ? T : never;

const RULE_KEYS = [
  'immutable',
  'fixedAtCreation',
  'createValues',
  'createAs',
  'sensitive',
  'writeOnly',
  'set',
  'ref',
  'verifiable',
  'privilege',
  'absent',
  'normalize',
  'update',
  'local',
] as const satisfies ReadonlyArray<keyof AttributeRule>;

/** `o` without its undefined members, so schemas serialise and compare as if written by hand. */
function defined(o: Record<string, unknown>): JsonSchema {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function ruleOf(opts: RuleOptions): AttributeRule {
  const rule: Record<string, unknown> = {};
  for (const k of RULE_KEYS) if (opts[k] !== undefined) rule[k] = opts[k];
  if (opts.summary !== undefined) rule.description = opts.summary;
  return rule as AttributeRule;
}

function field<T>(schema: Record<string, unknown>, opts: RuleOptions): Field<T> {
  return { schema: defined(schema), rule: ruleOf(opts) };
}

/** A string; with `enum`, one of those values (`{type: 'string', enum}`; see `choice` for `{enum}` alone). */
export function str<const E extends readonly string[] = never>(
  opts: FieldOptions<string> & {
    enum?: E;
    minLength?: number;
    maxLength?: number;
    pattern?: string;
    format?: string;
  } = {},
): Field<[E] extends [never] ? string : E[number]> {
  return field(
    {
      type: 'string',
      enum: opts.enum ? [...opts.enum] : undefined,
      format: opts.format,
      minLength: opts.minLength,
      maxLength: opts.maxLength,
      pattern: opts.pattern,
      default: opts.default,
      description: opts.doc,
    },
    opts,
  );
}

/** One of `values` (`{enum}`, no `type`). */
export function choice<const V extends readonly (string | number | boolean)[]>(
  values: V,
  opts: FieldOptions<V[number]> = {},
): Field<V[number]> {
  return field({ enum: [...values], default: opts.default, description: opts.doc }, opts);
}

/** A boolean. */
export function bool(opts: FieldOptions<boolean> = {}): Field<boolean> {
  return field({ type: 'boolean', default: opts.default, description: opts.doc }, opts);
}

/** An integer. */
export function int(opts: FieldOptions<number> & { minimum?: number; maximum?: number } = {}): Field<number> {
  return field(
    {
      type: 'integer',
      minimum: opts.minimum,
      maximum: opts.maximum,
      default: opts.default,
      description: opts.doc,
    },
    opts,
  );
}

/** A list of `items` (the items' own rule is ignored: rules apply to top-level attributes). */
export function list<T>(
  items: Field<T>,
  opts: FieldOptions<T[]> & { minItems?: number; maxItems?: number; uniqueItems?: boolean } = {},
): Field<T[]> {
  return field(
    {
      type: 'array',
      minItems: opts.minItems,
      maxItems: opts.maxItems,
      uniqueItems: opts.uniqueItems,
      default: opts.default,
      description: opts.doc,
      items: items.schema,
    },
    opts,
  );
}

/** A closed object (`additionalProperties: false`): `fields`, those in `required` required. */
export function obj<F extends Fields, const R extends readonly (keyof F & string)[] = []>(
  fields: F,
  opts: FieldOptions<ObjectOf<F, R[number]>> & { required?: R } = {},
): Field<ObjectOf<F, R[number]>> {
  return field(
    {
      type: 'object',
      additionalProperties: false,
      required: opts.required && opts.required.length > 0 ? [...opts.required] : undefined,
      default: opts.default,
      description: opts.doc,
      properties: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.schema])),
    },
    opts,
  );
}

/**
 * An object of any keys (matching the pattern `keys` when given), each holding a `values`;
 * `valuesDoc` describes one value (written after the value's own schema).
 */
export function map<T>(
  values: Field<T>,
  opts: FieldOptions<Record<string, T>> & { keys?: string; valuesDoc?: string; examples?: unknown[] } = {},
): Field<Record<string, T>> {
  return field(
    {
      type: 'object',
      description: opts.doc,
      propertyNames: opts.keys !== undefined ? { pattern: opts.keys } : undefined,
      additionalProperties: defined({ ...values.schema, description: opts.valuesDoc }),
      default: opts.default,
      examples: opts.examples,
    },
    opts,
  );
}

/** Exactly one of `branches` (`{description, oneOf}`). */
export function oneOf<const B extends readonly Field<unknown>[]>(
  branches: B,
  opts: FieldOptions<ValueOf<B[number]>> = {},
): Field<ValueOf<B[number]>> {
  return field({ description: opts.doc, default: opts.default, oneOf: branches.map((b) => b.schema) }, opts);
}

/** `{ref}` to a resource of `kind` of the same provider (`refSchema`); the rule's `ref` is `kind`. */
export function ref(kind: string, opts: RuleOptions & { doc: string }): Field<{ ref: string }> {
  return { schema: refSchema(opts.doc), rule: ruleOf({ ref: kind, ...opts }) };
}

/**
 * A list of `{ref}` to resources of `kind` (`item` describes one), compared as a set unless
 * `set: false`; the rule's `ref` is `kind`.
 */
export function refs(
  kind: string,
  opts: FieldOptions<Array<{ ref: string }>> & { item: string; uniqueItems?: boolean },
): Field<Array<{ ref: string }>> {
  return list(ref(kind, { doc: opts.item }), { set: true, ...opts, ref: kind });
}

/** Where a secret is kept: `${env:NAME}` or `${file:path}`, resolved by roster, never the value. */
export function secretPlace(opts: { doc?: string } = {}): Field<string> {
  return str({ doc: opts.doc });
}

/**
 * The `credentials` attribute: where the secrets the system shows once are kept and how often
 * they are rotated. Local to roster (never sent, read or diffed), so the spec's `defaults` skip it.
 */
export function credentials<F extends Fields>(
  fields: F,
  opts: Omit<FieldOptions<ObjectOf<F, never>>, 'local'> = {},
): Field<ObjectOf<F, never>> {
  return obj(fields, { ...opts, local: true });
}

/**
 * A kind's spec: the JSON Schema of `spec` (a closed object of `fields`, `required` ones required,
 * under the optional `$schema`/`$id`/`title`/`doc` header) and the `attributes` rules, one per field
 * that has any. `defaults` is merged under the rule of every field that is not `local` (e.g.
 * `{verifiable: false, update: 'manual'}` for a system nothing can be read from).
 */
export function spec<F extends Fields, const R extends readonly (keyof F & string)[] = []>(
  fields: F,
  opts: {
    required?: R;
    defaults?: RuleOptions;
    $schema?: string;
    $id?: string;
    title?: string;
    doc?: string;
  } = {},
): Spec<ObjectOf<F, R[number]>> {
  const defaults = ruleOf(opts.defaults ?? {});
  const attributes: Record<string, AttributeRule> = {};
  for (const [name, f] of Object.entries(fields)) {
    const rule = f.rule.local ? f.rule : { ...defaults, ...f.rule };
    if (Object.keys(rule).length > 0) attributes[name] = rule;
  }
  const schema = defined({
    $schema: opts.$schema,
    $id: opts.$id,
    title: opts.title,
    description: opts.doc,
    ...obj(fields, { required: opts.required }).schema,
  });
  return { schema, attributes };
}
