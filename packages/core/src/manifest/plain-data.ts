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
