import type { Execution, JsonSchema, Operation } from '@roster/core';

/** Base of the published schema `$id`s. */
export const SCHEMA_BASE = 'https://roster.dev/schemas/intacct';

/** `{ ref: <name of another resource> }`, resolved by the engine to the target's natural key. */
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

/** Everything these kinds support is done through the REST API. */
export const ALL_API: Record<Operation, Execution> = {
  create: 'api',
  read: 'api',
  update: 'api',
  delete: 'api',
};

/** `{ref}` list sorted by target, so a remote object always reads the same. */
export function sortedRefs(ids: Iterable<string>): Array<{ ref: string }> {
  return [...new Set(ids)].sort(compareText).map((ref) => ({ ref }));
}

/** Plain code-point order: stable across locales. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
