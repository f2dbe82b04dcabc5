import type { Row } from './client.js';

/** A text field of a GetConnector row; undefined when empty or absent. */
export function text(row: Row, ...fields: string[]): string | undefined {
  for (const f of fields) {
    const v = row[f];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

/** A yes/no field: AFAS gives `true`/`false`, and in places `1`/`0` or their text forms. */
export function flag(row: Row, field: string): boolean | undefined {
  const v = row[field];
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true' || v === 'True') return true;
  if (v === 0 || v === '0' || v === 'false' || v === 'False') return false;
  return undefined;
}

/** `obj` without its undefined values. */
export function defined<T extends Record<string, unknown>>(obj: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}

/** Codes compare without regard to case, as Profit's database does. */
export const sameCode = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
