/** Shared by every provider (`@roster/core` provider kit). */
export { compareText, sortedRefs } from '@roster/core';

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
