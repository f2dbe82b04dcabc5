import { isRef } from '../plan/canonical.js';

/**
 * Permission names grouped by what they are on, in first-seen order: `Service Desk › Tickets: Add`
 * and `Service Desk › Tickets: Edit` read as `Service Desk › Tickets: Add, Edit`. A name is split at
 * its last `: ` (Getint prefixes the connection's provider, `autotask-prod: Service Desk › …`);
 * a name without one stands alone.
 */
export function groupPermissions(names: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  const order: string[] = [];
  for (const name of names) {
    const at = name.lastIndexOf(': ');
    const subject = at > 0 ? name.slice(0, at) : name;
    const right = at > 0 ? name.slice(at + 2) : undefined;
    let rights = groups.get(subject);
    if (!rights) {
      rights = [];
      groups.set(subject, rights);
      order.push(subject);
    }
    if (right !== undefined) rights.push(right);
  }
  return order.map((s) => {
    const rights = groups.get(s) ?? [];
    return rights.length > 0 ? `${s}: ${rights.join(', ')}` : s;
  });
}

type Scalar = string | number | boolean;

const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * Whether a value is a map of names to a value or a list of values — the shape of a security level's
 * or a role's permissions (`{'ap/Bills': [add, approve], Contacts: view}`) — which reads better as
 * one line a key than as one long inline object. References and nested objects are not.
 */
export function isFlatMap(value: unknown): value is Record<string, Scalar | Scalar[]> {
  if (!value || typeof value !== 'object' || Array.isArray(value) || isRef(value)) return false;
  const entries = Object.values(value);
  return entries.length > 0 && entries.every((v) => isScalar(v) || (Array.isArray(v) && v.every(isScalar)));
}

/** One value of a flat map in words: `add, approve`; an empty list is `(none)`. */
export function flatValue(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (Array.isArray(value)) return value.length > 0 ? value.map(String).join(', ') : '(none)';
  return String(value);
}

/** `key: value` lines of a flat map, in its own order. */
export function flatMapLines(map: Record<string, unknown>): string[] {
  return Object.entries(map).map(([k, v]) => `${k}: ${flatValue(v)}`);
}

/** A key of a flat map that differs between two sides (undefined: the key is absent on that side). */
export interface FlatMapDifference {
  key: string;
  before?: string;
  after?: string;
}

/**
 * The keys whose values differ between two flat maps (either may be absent or not a map, read as
 * empty): keys of `after` in its order, then keys only `before` has. List values are compared as
 * sets, since a right listed in another order is the same right.
 */
export function flatMapDifferences(before: unknown, after: unknown): FlatMapDifference[] {
  const b = isFlatMap(before) ? before : {};
  const a = isFlatMap(after) ? after : {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const out: FlatMapDifference[] = [];
  for (const key of keys) {
    const inB = Object.hasOwn(b, key);
    const inA = Object.hasOwn(a, key);
    if (inB && inA && sameValue(b[key], a[key])) continue;
    out.push({
      key,
      ...(inB ? { before: flatValue(b[key]) } : {}),
      ...(inA ? { after: flatValue(a[key]) } : {}),
    });
  }
  return out;
}

function sameValue(x: unknown, y: unknown): boolean {
  const set = (v: unknown) => (Array.isArray(v) ? v.map(String).sort() : [String(v)]).join('\u0000');
  return Array.isArray(x) === Array.isArray(y) && set(x) === set(y);
}
