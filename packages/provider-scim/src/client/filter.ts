/**
 * A SCIM filter string literal (RFC 7644 §3.4.2.2: `compValue` is a JSON string): quoted, with `"`
 * and `\` escaped as JSON does, so a value can never end the literal and add a clause of its own.
 */
export function quoted(value: string): string {
  return JSON.stringify(value);
}

/** `attr eq "value"`, the value quoted and escaped. */
export function eq(attribute: string, value: string): string {
  if (!/^[A-Za-z][\w$-]*(?:\.[A-Za-z][\w$-]*)?$/.test(attribute) && !/^urn:[^\s"]+$/.test(attribute))
    throw new Error(`not a SCIM attribute path: ${attribute}`);
  return `${attribute} eq ${quoted(value)}`;
}
