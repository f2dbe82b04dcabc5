import type { JsonSchema } from '../provider.js';

/**
 * JSON Schema of `{ ref: <metadata.name of another resource> }`, which the engine resolves to the
 * target's natural key. `description` says what the reference is for.
 */
export function refSchema(description: string): JsonSchema {
  return {
    type: 'object',
    description,
    required: ['ref'],
    properties: {
      ref: { type: 'string', description: 'metadata.name of the referenced resource (same provider)' },
    },
    additionalProperties: false,
  };
}

/** Plain code-point order: stable across locales. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `{ref}` list sorted by target, without repeats, so a remote object always reads the same. */
export function sortedRefs(names: Iterable<string>): Array<{ ref: string }> {
  return [...new Set(names)].sort(compareText).map((ref) => ({ ref }));
}
