import { describe, expect, it } from 'vitest';
import { SENSITIVE_PLACEHOLDER, Secret } from '../secret.js';
import { canonical, fingerprint, sameCanonical, sameValue, stableStringify } from './canonical.js';

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

describe('sameValue and sameCanonical', () => {
  // Equal only in their written forms: the structural shortcut must not decide these alone.
  const hidden = { y: 1 };
  Object.defineProperty(hidden, 'x', { value: 1, enumerable: false });
  const values: unknown[] = [
    undefined,
    null,
    Number.NaN,
    0,
    -0,
    '1',
    1,
    SENSITIVE_PLACEHOLDER,
    new Secret('a', 'env:A'),
    new Secret('b', 'env:B'),
    { x: 1 },
    { x: 1, y: 1 },
    hidden,
    { x: 1, u: undefined },
    { x: 1, v: undefined },
    { x: 1, f: () => 1 },
    { x: Number.NaN },
    { x: null },
    new Date(0),
    {},
    [],
    [undefined],
    [null],
    [{ ref: 'a' }, { ref: 'b' }],
    [{ ref: 'b' }, { ref: 'a', id: '7' }],
    [
      { ref: 'a', id: '1' },
      { ref: 'b', id: '2' },
    ],
    [{ ref: 'a' }, { ref: 'a' }, { ref: 'b' }],
    { ref: 'a' },
    { ref: 'a', id: '1' },
    { ref: 'b', id: '1' },
    { roles: [{ ref: 'a', id: '1' }], contact: { email: 'x@y', name: 'X' } },
    { contact: { name: 'X', email: 'x@y' }, roles: [{ ref: 'a' }] },
    { perms: { bill: ['view', 'list'] } },
    { perms: { bill: ['list', 'view', 'list'] } },
  ];
  /** The comparisons as they were written: on the texts of the (canonical) values. */
  const byText = (a: unknown, b: unknown): boolean =>
    a === b || (a !== undefined && b !== undefined && stableStringify(a) === stableStringify(b));

  it('agree with comparing the written forms, for every pair', () => {
    for (const a of values) {
      for (const b of [...values, copyPlain(a)]) {
        expect(sameValue(a, b), `${stableStringify(a)} vs ${stableStringify(b)}`).toBe(byText(a, b));
        for (const rule of [undefined, { set: true }, { ref: 'Role', set: true }]) {
          expect(sameCanonical(a, b, rule), `${stableStringify(a)} vs ${stableStringify(b)}`).toBe(
            byText(canonical(a, rule), canonical(b, rule)),
          );
        }
      }
    }
  });

  it('reduces references to their targets and lists under a set rule to sorted sets', () => {
    const given = [{ ref: 'b' }, { ref: 'a', id: '7' }];
    expect(sameCanonical(given, [{ ref: 'a' }, { ref: 'b', id: '2' }], { set: true })).toBe(true);
    expect(sameCanonical(given, [{ ref: 'a' }, { ref: 'b' }], undefined)).toBe(false);
    expect(sameCanonical({ ref: 'a', id: '1' }, { ref: 'b', id: '1' }, undefined)).toBe(false);
    expect(sameValue({ x: 1 }, hidden)).toBe(false);
  });
});

/** A copy of plain data (other values as they are), so equal values are not also identical. */
function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyPlain(v)]));
  }
  return value;
}
