/** Base of the published schema `$id`s. */
export const SCHEMA_BASE = 'https://roster.dev/schemas/autotask';

/** The name a `{ref}` holds (a string passes through), or undefined. */
export function refName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { ref?: unknown }).ref === 'string')
    return (value as { ref: string }).ref;
  return undefined;
}

/** `metadata.name` of a resource from its address `<provider>/<Kind>/<name>`. */
export function nameOfAddress(address: string): string {
  return address.split('/').slice(2).join('/') || address;
}

/** How a runbook names a checkbox's value. */
export const checkbox = (v: unknown) => (v === true ? 'checked' : 'unchecked');
