/**
 * Set an own property, even one named `__proto__`: manifests are untrusted, and assigning
 * `obj['__proto__'] = v` would replace the object's prototype instead of storing the field.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}

/** Whether `value` is a plain mapping (not an array, not null, not a class instance such as a Secret). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `value` (an array or a plain mapping) with each child replaced by `fn(child, key)`, copied only
 * when a child changes: the input is never modified, and a collection none of whose children
 * changed is returned as it is. Walks over whole documents (credentials, schema checks) change
 * almost nothing, and copying every document was much of loading's time and garbage.
 */
export function mapChildren<T extends unknown[] | Record<string, unknown>>(
  value: T,
  fn: (child: unknown, key: string | number) => unknown,
): T {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const next = fn(value[i], i);
      if (next !== value[i]) {
        out ??= value.slice();
        out[i] = next;
      }
    }
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[k];
    const next = fn(child, k);
    if (next !== child) {
      if (!out) {
        out = {};
        for (const key of Object.keys(value)) setOwn(out, key, (value as Record<string, unknown>)[key]);
      }
      setOwn(out, k, next);
    }
  }
  return (out ?? value) as T;
}
