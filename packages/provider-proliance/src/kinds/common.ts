/** Shared by every provider (`@roster/core` provider kit). */
export { refSchema } from '@roster/core';

/** Base of the published schema `$id`s. */
export const SCHEMA_BASE = 'https://roster.dev/schemas/proliance';

/** The product name operators know, for runbook steps. */
export const SYSTEM = 'Proliance';

/** Ask for a new export, so roster can verify the step. */
export const EXPORT_AGAIN =
  "Then export the Staff, Contacts, Accounts and Security Roles registers again (CSV) to the files the provider's export setting names: roster verifies the step from them.";

/** Rights a security role grants on a permission area, in the order Proliance shows them. */
export const RIGHTS = ['Read', 'Create', 'Update', 'Delete'] as const;
export type Right = (typeof RIGHTS)[number];

/** The permission area that lets its holder change security roles, its own included. */
export const SECURITY_PERMISSIONS_AREA = 'Security Permissions';

/**
 * Staff and contact IDs: no white space at either end, no line breaks. `:` is allowed (the natural
 * key `staff:<ID>` splits at the first one).
 */
export const ID_PATTERN = '^[^\\s](.*[^\\s])?$';

/**
 * Names that appear in a `;`-separated list of the export (security roles): no `;`, no line
 * breaks, no white space at either end.
 */
export const LIST_NAME_PATTERN = '^[^\\s;]([^;\\r\\n]*[^\\s;])?$';

/** Permission area names: written `Area: Read, Update; …` in the export, so no `:` `;` `,`. */
export const AREA_PATTERN = '^[^\\s:;,]([^:;,\\r\\n]*[^\\s:;,])?$';

/** Single-line text with no white space at either end. */
export const TEXT_PATTERN = '^[^\\s](.*[^\\s])?$';

/** Who owns an integration account: a staff member or a contact, by ID. */
export type Owner = { staff: string } | { contact: string };
export type OwnerType = 'staff' | 'contact';

/** The owner's type and ID. */
export function ownerParts(owner: unknown): { type: OwnerType; id: string } | undefined {
  if (!owner || typeof owner !== 'object' || Array.isArray(owner)) return undefined;
  const o = owner as Record<string, unknown>;
  if (typeof o.staff === 'string') return { type: 'staff', id: o.staff };
  if (typeof o.contact === 'string') return { type: 'contact', id: o.contact };
  return undefined;
}

/** The natural key of an integration account: `staff:<ID>` or `contact:<ID>`. */
export function ownerKey(owner: unknown): string {
  const p = ownerParts(owner);
  return p ? `${p.type}:${p.id}` : '';
}

/** The owner a natural key names. */
export function ownerOfKey(key: string): { type: OwnerType; id: string } | undefined {
  const colon = key.indexOf(':');
  if (colon < 0) return undefined;
  const type = key.slice(0, colon);
  if (type !== 'staff' && type !== 'contact') return undefined;
  return { type, id: key.slice(colon + 1) };
}

/** How operators name an owner: "staff member S-1002" / "contact C-2001". */
export function describeOwner(type: OwnerType, id: string): string {
  return type === 'staff' ? `staff member ${id}` : `contact ${id}`;
}

/** The register an owner is in, as the Organization work area names it. */
export function registerOf(type: OwnerType): 'Staff' | 'Contacts' {
  return type === 'staff' ? 'Staff' : 'Contacts';
}

/** The target names of `{ref}` values (a single one or a list); strings pass through. */
export function refNames(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.flatMap((v) => {
    if (typeof v === 'string') return [v];
    const ref = (v as { ref?: unknown } | null)?.ref;
    return typeof ref === 'string' ? [ref] : [];
  });
}

/** Rights in Proliance's order, without repeats. */
export function orderRights(rights: Iterable<string>): Right[] {
  const have = new Set(rights);
  return RIGHTS.filter((r) => have.has(r));
}

/** A permission map as one line: `Organization: Read; Projects: Read, Update`. */
export function formatPermissions(permissions: unknown): string {
  if (!permissions || typeof permissions !== 'object') return '';
  return Object.entries(permissions as Record<string, unknown>)
    .filter(([, rights]) => Array.isArray(rights) && rights.length > 0)
    .map(([area, rights]) => `${area}: ${orderRights((rights as unknown[]).map(String)).join(', ')}`)
    .join('; ');
}

/** How the UI shows a check box. */
export const checkBox = (on: unknown) => (on === true ? 'checked' : 'unchecked');

/** A list as one runbook field value. */
export const listValue = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : '(none)');

/** `[...]` without the undefined and false entries. */
export function compact<T>(items: Array<T | undefined | false>): T[] {
  return items.filter((x): x is T => x !== undefined && x !== false);
}

/** `metadata.name` of a resource from its address `<provider>/<Kind>/<name>`. */
export function nameOfAddress(address: string): string {
  return address.split('/').slice(2).join('/') || address;
}
