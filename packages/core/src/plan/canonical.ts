import * as crypto from 'node:crypto';
import { isPlainObject } from '../manifest/plain-data.js';
import type { AttributeRule } from '../provider.js';
import { isSecret, SENSITIVE_PLACEHOLDER } from '../secret.js';

/** JSON with object keys sorted: the same data always gives the same text. */
export function stableStringify(value: unknown): string {
  // Written out directly rather than as `JSON.stringify` of a key-sorted copy: plans compare and
  // fingerprint every resource this way, and the copy was most of the cost. The text is the same
  // as `JSON.stringify(sortKeys(value))` would give, byte for byte (see canonical.test.ts).
  return write(value, false) as string;
}

/**
 * `value` as `JSON.stringify(sortKeys(value))` would write it: `undefined` where JSON has no text
 * (undefined, functions, symbols), written `null` inside arrays as JSON does.
 */
function write(value: unknown, inArray: boolean): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'bigint':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return inArray ? 'null' : undefined;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + write(value[i], true);
    return `${out}]`;
  }
  if (isSecret(value)) return JSON.stringify(SENSITIVE_PLACEHOLDER);
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const k of sortedKeys(record)) {
    const v = record[k];
    if (v === undefined) continue;
    const text = write(v, false);
    if (text === undefined) continue;
    out += `${first ? '' : ','}${quoted(k)}:${text}`;
    first = false;
  }
  return `${out}}`;
}

/** Keys as JSON strings, by key: the same few keys recur in every resource. */
const quotedKeys = new Map<string, string>();
/** Past this many distinct keys, new ones are quoted each time (the cache stays small). */
const QUOTED_KEYS_MAX = 10_000;

function quoted(key: string): string {
  let text = quotedKeys.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_MAX) quotedKeys.set(key, text);
  }
  return text;
}

/**
 * The keys of `value` in the order a copy made by inserting them sorted enumerates them: integer
 * keys first, in numeric order, as JavaScript objects keep them. `__proto__` is left out: assigning
 * it on the copy sets its prototype, so it never was an own key of the copy.
 */
function sortedKeys(value: Record<string, unknown>): string[] {
  const keys = Object.keys(value).sort();
  let plain = true;
  for (const k of keys) {
    const c = k.charCodeAt(0);
    if ((c >= 48 && c <= 57) || k === '__proto__') {
      plain = false;
      break;
    }
  }
  if (plain) return keys;
  const copy: Record<string, true> = {};
  for (const k of keys) copy[k] = true;
  return Object.keys(copy);
}

/** A short content hash of any JSON value (remote fingerprints, plan checksums). */
export function fingerprint(value: unknown): string {
  return `sha256:${sha256(stableStringify(value))}`;
}

/**
 * SHA-256 of a text, in hex. The one-shot `crypto.hash` (Node 20.12 and later) when there is one:
 * it makes no `Hash` object per call, and a plan fingerprints every remote object.
 */
const sha256: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** True for `{ ref: string }` (optionally with `id`/`output`): a reference to another resource. */
export function isRef(value: unknown): value is { ref: string; id?: string } {
  return (
    !!value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as { ref?: unknown }).ref === 'string'
  );
}

/**
 * The form two values are compared in: references reduced to their target, lists under a `set`
 * rule sorted and de-duplicated (also lists nested in an object, e.g. a permission map).
 */
export function canonical(value: unknown, rule: AttributeRule | undefined): unknown {
  return canon(value, rule?.set === true);
}

function canon(value: unknown, set: boolean): unknown {
  if (isRef(value)) return { ref: value.ref };
  if (Array.isArray(value)) {
    const items = value.map((v) => canon(v, set));
    if (!set) return items;
    const byKey = new Map<string, unknown>();
    for (const item of items) byKey.set(stableStringify(item), item);
    return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  }
  if (isSecret(value)) return value;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canon(v, set);
    }
    return out;
  }
  return value;
}

/** Deep equality of two canonical values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return surelyEqual(a, b, false) || stableStringify(a) === stableStringify(b);
}

/** Whether two values compare equal under `rule`: `sameValue` of their canonical forms. */
export function sameCanonical(a: unknown, b: unknown, rule: AttributeRule | undefined): boolean {
  // Planning compares every attribute of every resource, and nearly all are equal: making both
  // canonical forms and writing them out was most of the cost, so that is left to the few others.
  return surelyEqual(a, b, true) || sameValue(canonical(a, rule), canonical(b, rule));
}

/**
 * True when `a` and `b` are surely written the same (`stableStringify`), worked out without writing
 * them: arrays of the same length in the same order, plain objects with the same keys, down to
 * leaves that are `===`. With `refs`, two references to the same target match whatever else they
 * hold, as `canonical` reduces them (a list in the same order is also the same as a set). False
 * only means "not sure": anything else (secrets, NaN, other classes) is left to the written forms.
 */
function surelyEqual(a: unknown, b: unknown, refs: boolean): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!surelyEqual(a[i], b[i], refs)) return false;
    return true;
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  if (refs && isRef(a) && isRef(b)) return a.ref === b.ref;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    if (!Object.prototype.propertyIsEnumerable.call(b, k)) return false;
    if (!surelyEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], refs))
      return false;
  }
  return true;
}

/** Whether a value is `{ ref, output }`: a value another resource produces. */
export function isOutputRef(value: unknown): value is { ref: string; output: string } {
  return isRef(value) && typeof (value as { output?: unknown }).output === 'string';
}

/** Whether a value holds a `{ ref, output }` anywhere. */
export function containsOutputRef(value: unknown): boolean {
  if (isOutputRef(value)) return true;
  if (Array.isArray(value)) return value.some(containsOutputRef);
  if (value && typeof value === 'object') return Object.values(value).some(containsOutputRef);
  return false;
}
