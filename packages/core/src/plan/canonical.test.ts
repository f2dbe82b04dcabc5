import { describe, expect, it } from 'vitest';
import { SENSITIVE_PLACEHOLDER, Secret } from '../secret.js';
import { canonical, fingerprint, sameValue, stableStringify } from './canonical.js';

/** What stableStringify wrote before it was written out directly: JSON of a key-sorted copy. */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v instanceof Secret) return SENSITIVE_PLACEHOLDER;
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) out[k] = sortKeys(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

describe('stableStringify', () => {
  const withProto = JSON.parse('{"__proto__": {"a": 1}, "b": 2}') as unknown;
  const cases: unknown[] = [
    null,
    undefined,
    'a "quoted"\n\u2028 string',
    0,
    -0,
    1.5e300,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    false,
    [],
    {},
    [1, undefined, () => 1, Symbol('s'), null, 'x'],
    { b: 1, a: { d: [3, { z: 1, y: undefined }], c: null }, f: () => 1, s: Symbol('s') },
    { '10': 'ten', '2': 'two', b: 'bee', a: 'ay', '-1': 'minus', '01': 'zero-one' },
    { roles: [{ ref: 'B' }, { ref: 'A', id: '7' }], id: 'WS_1', contact: { lastName: 'L', firstName: 'F' } },
    { password: new Secret('hunter2', 'env:PW'), nested: [new Secret('x', 'env:X')] },
    withProto,
    new Date(0),
    // biome-ignore lint/suspicious/noSparseArray: a hole is written as null, like undefined
    [1, , 3],
  ];
  it('writes exactly what JSON of a key-sorted copy gives', () => {
    for (const c of cases) expect(stableStringify(c)).toBe(reference(c));
  });
  it('keeps fingerprints and comparisons as they were', () => {
    expect(fingerprint({ b: [2, 1], a: 'x' })).toBe(fingerprint({ a: 'x', b: [2, 1] }));
    expect(
      sameValue(
        canonical([{ ref: 'b' }, { ref: 'a' }], { set: true }),
        canonical([{ ref: 'a' }, { ref: 'b' }], { set: true }),
      ),
    ).toBe(true);
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false);
  });
});
