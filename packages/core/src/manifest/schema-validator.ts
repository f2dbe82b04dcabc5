import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../provider.js';
import { isSecret, SENSITIVE_PLACEHOLDER } from '../secret.js';
import { isPlainObject, mapChildren } from './plain-data.js';
import { describeSchemaErrors, type SchemaProblem } from './schema-errors.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object, whose
// `default` is the plugin (at run time `module.exports` is the plugin and carries `default` too).
const addFormats = addFormatsModule.default;

/** Result of validating one value: its problems, or why the schema itself could not be used. */
export type SchemaCheck = { problems: SchemaProblem[] } | { schemaError: string };

/**
 * JSON Schema (draft 2020-12) validation with ajv. Each schema object is compiled once and reused,
 * so validating 100,000 documents of a handful of kinds costs a handful of compilations.
 */
export class SchemaValidator {
  readonly #ajv: Ajv2020;
  readonly #compiled = new WeakMap<object, ValidateFunction | string>();

  constructor() {
    // allErrors: every mistake of a document in one run. verbose: errors carry their schema, for
    // "did you mean" and for listing the forms of a failed anyOf. strict off: provider schemas may
    // carry annotations of their own (x-…), which are no reason to stop a run.
    this.#ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true });
    addFormats(this.#ajv);
  }

  /**
   * Validate `value` against `schema`. Secrets are validated as a placeholder string (a credential is
   * a string to the schema; its value is never handed to ajv, so never to an error message).
   * `prefix` is the pointer of `value` in its document (e.g. `/spec`), to place the problems.
   */
  check(schema: JsonSchema, value: unknown, prefix: string): SchemaCheck {
    const validate = this.#compile(schema);
    if (typeof validate === 'string') return { schemaError: validate };
    if (validate(withoutSecrets(value))) return { problems: [] };
    return { problems: describeSchemaErrors(validate.errors ?? [], prefix) };
  }

  #compile(schema: JsonSchema): ValidateFunction | string {
    let compiled = this.#compiled.get(schema);
    if (compiled === undefined) {
      try {
        // Two providers (or two copies of one, e.g. in tests) may publish schemas with the same $id;
        // ajv refuses a second schema under a known id, so later ones are compiled without it.
        const id = typeof schema.$id === 'string' ? schema.$id : undefined;
        const { $id: _ignored, ...anonymous } = schema;
        compiled = this.#ajv.compile(id && this.#ajv.getSchema(id) ? anonymous : schema);
      } catch (err) {
        compiled = err instanceof Error ? err.message : String(err);
      }
      this.#compiled.set(schema, compiled);
    }
    return compiled;
  }
}

/** `value` with every Secret replaced by the placeholder string (shared where there is none). */
function withoutSecrets(value: unknown): unknown {
  if (isSecret(value)) return SENSITIVE_PLACEHOLDER;
  if (Array.isArray(value) || isPlainObject(value)) return mapChildren(value, withoutSecrets);
  return value;
}
