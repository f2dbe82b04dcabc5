/**
 * Test support for the `--format json` schemas under `schemas/`: compile one by command name, and
 * check that a document uses exactly the fields its schema defines (so a schema and the TypeScript
 * type it describes cannot drift apart unnoticed).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule.default;

export const schemasDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../schemas');

type Schema = Record<string, unknown>;

/** The parsed `schemas/<name>.schema.json`. */
export function outputSchema(name: string): Schema {
  return JSON.parse(readFileSync(path.join(schemasDir, `${name}.schema.json`), 'utf8')) as Schema;
}

const compiled = new Map<string, ValidateFunction>();

/** A strict ajv validator of `schemas/<name>.schema.json` (unknown keywords and formats are errors). */
export function outputValidator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    v = ajv.compile(outputSchema(name));
    compiled.set(name, v);
  }
  return v;
}

/** ajv's errors of the last validation, one line each (for assertion messages). */
export function schemaErrors(v: ValidateFunction): string {
  return (v.errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
    .join('\n');
}

/**
 * Places where `value` and the schema disagree on which fields exist: in every closed object
 * (`additionalProperties: false`) the document must have every property the schema defines and no
 * other. Meant for documents built from fixtures that fill in every optional field.
 */
export function fieldMismatches(name: string, value: unknown): string[] {
  const root = outputSchema(name);
  const problems: string[] = [];
  const resolve = (s: Schema): Schema => {
    const ref = s.$ref;
    if (typeof ref !== 'string') return s;
    const key = ref.replace('#/$defs/', '');
    return resolve((root.$defs as Record<string, Schema>)[key]!);
  };
  const walk = (schema: Schema, v: unknown, at: string) => {
    const s = resolve(schema);
    if (Array.isArray(v)) {
      if (s.items) for (const [i, item] of v.entries()) walk(s.items as Schema, item, `${at}/${i}`);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    const obj = v as Record<string, unknown>;
    const props = s.properties as Record<string, Schema> | undefined;
    if (props && s.additionalProperties === false) {
      const defined = Object.keys(props).sort();
      const present = Object.keys(obj).sort();
      for (const k of defined)
        if (!present.includes(k)) problems.push(`${at}: schema field ${k} not in document`);
      for (const k of present)
        if (!defined.includes(k)) problems.push(`${at}: document field ${k} not in schema`);
      for (const [k, sub] of Object.entries(props)) if (k in obj) walk(sub, obj[k], `${at}/${k}`);
    } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      for (const [k, item] of Object.entries(obj)) walk(s.additionalProperties as Schema, item, `${at}/${k}`);
    }
  };
  walk(root, value, '');
  return problems;
}
