import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../diagnostics.js';
import type { JsonSchema } from '../provider.js';
import { isSecret, SENSITIVE_PLACEHOLDER } from '../secret.js';
import type { SourcePosition } from './types.js';

/** The repository's (or installed package's) `schemas/` directory, found from this module's location. */
export function schemasDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(path.join(dir, 'schemas', 'manifest.schema.json'))) return path.join(dir, 'schemas');
    dir = path.dirname(dir);
  }
  throw new Error('schemas/manifest.schema.json not found next to the roster installation');
}

/** JSON Schema validation with ajv (draft 2020-12), schemas compiled once and reused. */
export class SchemaValidator {
  readonly #ajv = new Ajv2020({ allErrors: true, strict: false });
  readonly #compiled = new Map<JsonSchema, ValidateFunction>();
  #envelope: ValidateFunction | undefined;

  envelope(): ValidateFunction {
    if (!this.#envelope) {
      const schema = JSON.parse(
        readFileSync(path.join(schemasDir(), 'manifest.schema.json'), 'utf8'),
      ) as JsonSchema;
      this.#envelope = this.#ajv.compile(schema);
    }
    return this.#envelope;
  }

  /**
   * Validate `value` (secrets replaced by a placeholder string) against `schema`; errors are placed
   * at `prefix` + the instance path.
   */
  validate(
    validator: ValidateFunction | JsonSchema,
    value: unknown,
    prefix: string,
    locate: (pointer: string, key?: boolean) => SourcePosition,
  ): Diagnostic[] {
    let fn: ValidateFunction;
    if (typeof validator === 'function') fn = validator;
    else {
      let c = this.#compiled.get(validator);
      if (!c) {
        const { $id: _id, ...rest } = validator;
        c = this.#ajv.compile(rest);
        this.#compiled.set(validator, c);
      }
      fn = c;
    }
    if (fn(withoutSecrets(value))) return [];
    return humanErrors(fn.errors ?? []).map((e) => {
      const { pointer, key, message } = describe(e, prefix);
      const pos = locate(pointer, key);
      return {
        severity: 'error' as const,
        code: 'manifest.schema',
        message,
        file: pos.file,
        line: pos.line,
        column: pos.column,
      };
    });
  }
}

function withoutSecrets(value: unknown): unknown {
  if (isSecret(value)) return SENSITIVE_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecrets(v)]));
  }
  return value;
}

/** Drop cascades: combinator and if/then errors when a more specific error explains them. */
function humanErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => !['anyOf', 'oneOf', 'if', 'not', 'allOf'].includes(e.keyword));
  const chosen = specific.length > 0 ? specific : errors.filter((e) => e.keyword !== 'if');
  const seen = new Set<string>();
  return chosen.filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `/spec/roles/0/ref` → `spec.roles[0].ref` */
export function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

function describe(e: ErrorObject, prefix: string): { pointer: string; key: boolean; message: string } {
  const pointer = `${prefix}${e.instancePath}`;
  const where = dotted(pointer) || 'the document';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        pointer,
        key: false,
        message: `missing required field ${dotted(`${pointer}/${String(p.missingProperty)}`)}`,
      };
    case 'additionalProperties': {
      const field = `${pointer}/${String(p.additionalProperty)}`;
      return { pointer: field, key: true, message: `unknown field ${dotted(field)}` };
    }
    case 'enum':
      return {
        pointer,
        key: false,
        message: `${where} must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')}`,
      };
    case 'const':
      return { pointer, key: false, message: `${where} must be ${JSON.stringify(p.allowedValue)}` };
    case 'type':
      return { pointer, key: false, message: `${where} must be ${article(String(p.type))}` };
    case 'pattern':
      return { pointer, key: false, message: `${where} must match ${String(p.pattern)}` };
    default:
      return { pointer, key: false, message: `${where} ${e.message ?? 'is invalid'}` };
  }
}

function article(type: string): string {
  const words = type
    .split(',')
    .map((t) => (t === 'object' || t === 'array' || t === 'integer' ? `an ${t}` : `a ${t}`));
  return words.join(' or ');
}
