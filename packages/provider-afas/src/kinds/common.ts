import type { JsonSchema } from '@roster/core';

/** Base of the published schema `$id`s. */
export const SCHEMA_BASE = 'https://roster.dev/schemas/afas';

/** The product name operators know, for runbook steps. */
export const SYSTEM = 'AFAS Profit';

/** Connector ids (GetConnectors, UpdateConnectors) as Profit names them. */
export const CONNECTOR_ID_PATTERN = '^[A-Za-z0-9_.-]{1,100}$';

/**
 * User and group codes: no surrounding white space, and no `,` or `;`, which separate the
 * GetConnector filter lists roster looks codes up with.
 */
export const CODE_PATTERN = '^[^\\s,;]([^,;]*[^\\s,;])?$';

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

/** Plain code-point order: stable across locales. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `{ref}` list sorted by target, so a remote object always reads the same. */
export function sortedRefs(ids: Iterable<string>): Array<{ ref: string }> {
  return [...new Set(ids)].sort(compareText).map((ref) => ({ ref }));
}

/** The target names of `{ref}` values (a single one or a list). */
export function refNames(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.flatMap((v) => {
    const ref = (v as { ref?: unknown } | null)?.ref;
    return typeof ref === 'string' ? [ref] : [];
  });
}

/** The name of a `{ref}` value, if it is one. */
export function refName(value: unknown): string | undefined {
  return refNames(value)[0];
}

/** How the UI shows a check box. */
export const checkBox = (on: unknown) => (on === true ? 'checked' : 'unchecked');

/** A list as one runbook field value. */
export const listValue = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : '(none)');

/** `[...]` without the undefined entries. */
export function compact<T>(items: Array<T | undefined | false>): T[] {
  return items.filter((x): x is T => x !== undefined && x !== false);
}
