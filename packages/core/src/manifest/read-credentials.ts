import type { JsonSchema } from '../provider.js';
import { isSecret, type Secret } from '../secret.js';
import { isPlainObject } from './plain-data.js';

/**
 * The key of a Provider document's read-only credential set: `spec.credentials.read` holds the same
 * keys as `spec.credentials`, for an account that may only read the system. `plan`, `drift`,
 * `test` (every read-only connection) sign in with it, so a scheduled drift job never holds write
 * access; `apply` always signs in with the top-level credentials.
 */
export const READ_CREDENTIALS_KEY = 'read';

/** A Provider document's credentials, split into the write (top-level) and read-only sets. */
export interface CredentialSets {
  /** The top-level `credentials` (what apply signs in with); empty when only `read` is given. */
  write: Record<string, Secret | undefined>;
  /** `credentials.read`, when the document gives one. */
  read?: Record<string, Secret | undefined>;
}

/**
 * Split an interpolated `credentials` block. Only secrets are kept: interpolation has already
 * reported any literal, and a provider must never receive a value that did not come from
 * `${env:…}`/`${file:…}`.
 */
export function splitCredentials(value: unknown): CredentialSets {
  const write: Record<string, Secret | undefined> = {};
  let read: Record<string, Secret | undefined> | undefined;
  if (!isPlainObject(value)) return { write };
  for (const [k, v] of Object.entries(value)) {
    if (k === READ_CREDENTIALS_KEY && isPlainObject(v)) {
      read = {};
      for (const [rk, rv] of Object.entries(v)) if (isSecret(rv)) read[rk] = rv;
    } else if (isSecret(v)) {
      write[k] = v;
    }
  }
  return read ? { write, read } : { write };
}

const extended = new WeakMap<JsonSchema, JsonSchema>();

/**
 * A provider's `configSchema` with `credentials.read` allowed: an object of the same keys and rules
 * as the top-level credentials. The top-level keys become optional when `read` is there, so a
 * project that only plans and reports drift can hold read-only credentials alone (apply then
 * refuses with one clear message). Done here, once, so no provider declares `read` itself.
 * Schemas without a `credentials` object are returned as they are. The result is memoised per
 * schema object, so the validator compiles it once.
 */
export function withReadCredentials(schema: JsonSchema): JsonSchema {
  const cached = extended.get(schema);
  if (cached) return cached;
  let out = schema;
  const properties = schema.properties;
  const credentials = isPlainObject(properties) ? properties.credentials : undefined;
  if (
    isPlainObject(properties) &&
    isPlainObject(credentials) &&
    isPlainObject(credentials.properties) &&
    !(READ_CREDENTIALS_KEY in credentials.properties)
  ) {
    const { required, ...rest } = credentials;
    const keys = Array.isArray(required) ? required.filter((k): k is string => typeof k === 'string') : [];
    const readSchema: Record<string, unknown> = {
      type: 'object',
      description:
        'Read-only credentials (the same keys), used by plan, drift and test so a scheduled job never holds write access; apply uses the credentials above.',
      additionalProperties: credentials.additionalProperties ?? true,
      properties: credentials.properties,
      ...(keys.length > 0 ? { required: keys } : {}),
    };
    out = {
      ...schema,
      properties: {
        ...properties,
        credentials: {
          ...rest,
          properties: { ...credentials.properties, [READ_CREDENTIALS_KEY]: readSchema },
          // Either the full write set, or only the read set (plan and drift need nothing more).
          ...(keys.length > 0 ? { anyOf: [{ required: keys }, { required: [READ_CREDENTIALS_KEY] }] } : {}),
        },
      },
    };
  }
  extended.set(schema, out);
  return out;
}
