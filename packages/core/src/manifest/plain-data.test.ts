import { describe, expect, it } from 'vitest';
import { mapChildren } from './plain-data.js';

describe('mapChildren', () => {
  const upper = (v: unknown) => (v === 'x' ? 'X' : v);

  it('returns the collection itself when no child changes', () => {
    const list = ['a', 1, null];
    const map = { a: 'a', b: [1] };
    expect(mapChildren(list, upper)).toBe(list);
    expect(mapChildren(map, upper)).toBe(map);
  });

  it('copies when a child changes, leaving the input as it was', () => {
    const list = ['a', 'x', 'c'];
    const map = { a: 'a', b: 'x', c: 'c' };
    expect(mapChildren(list, upper)).toEqual(['a', 'X', 'c']);
    expect(list).toEqual(['a', 'x', 'c']);
    const copy = mapChildren(map, upper);
    expect(copy).toEqual({ a: 'a', b: 'X', c: 'c' });
    expect(Object.keys(copy)).toEqual(['a', 'b', 'c']);
    expect(map.b).toBe('x');
  });

  it('passes keys and indexes, and keeps a __proto__ field a field', () => {
    const seen: Array<string | number> = [];
    mapChildren(['p', 'q'], (v, k) => seen.push(k) && v);
    const map = JSON.parse('{"__proto__": "x", "k": "v"}') as Record<string, unknown>;
    const copy = mapChildren(map, (v, k) => {
      seen.push(k);
      return upper(v);
    });
    expect(seen).toEqual([0, 1, '__proto__', 'k']);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toBe('X');
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });
});
