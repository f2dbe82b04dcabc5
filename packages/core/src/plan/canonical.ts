import { createHash } from 'node:crypto';
import type { AttributeRule } from '../provider.js';
import { isSecret, SENSITIVE_PLACEHOLDER } from '../secret.js';

/** JSON with object keys sorted: the same data always gives the same text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isSecret(value)) return SENSITIVE_PLACEHOLDER;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** A short content hash of any JSON value (remote fingerprints, plan checksums). */
export function fingerprint(value: unknown): string {
  return `sha256:${createHash('sha256').update(stableStringify(value)).digest('hex')}`;
}

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
  return stableStringify(a) === stableStringify(b);
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
