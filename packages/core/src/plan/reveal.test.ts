import { describe, expect, it } from 'vitest';
import { Secret } from '../secret.js';
import { containsSecret, revealAll } from './reveal.js';

describe('reveal', () => {
  it('reveals secrets at any depth, for fingerprints and the API call only', () => {
    const value = { a: [new Secret('one', 'env:A')], b: { c: new Secret('two', 'env:B') }, d: 3 };
    expect(revealAll(value)).toEqual({ a: ['one'], b: { c: 'two' }, d: 3 });
    expect(containsSecret(value)).toBe(true);
    expect(containsSecret({ a: ['x'], b: { c: 1 } })).toBe(false);
  });
});
