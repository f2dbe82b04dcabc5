import { describe, expect, it } from 'vitest';
import { EMAIL_PATTERN } from './email.js';

/** The pattern used before: the same language, but quadratic backtracking. */
const OLD = /^[^@\s]+@[^@\s]+\.[^@\s]+$/u;

describe('EMAIL_PATTERN', () => {
  const re = new RegExp(EMAIL_PATTERN, 'u');

  it('accepts exactly what the old pattern accepted, on every string of up to 7 characters over @ . a and space', () => {
    const alphabet = ['@', '.', 'a', ' '];
    let strings = [''];
    let checked = 0;
    for (let len = 1; len <= 7; len++) {
      strings = strings.flatMap((s) => alphabet.map((c) => s + c));
      for (const s of strings) {
        expect(re.test(s), JSON.stringify(s)).toBe(OLD.test(s));
        checked++;
      }
    }
    expect(checked).toBe(21_844);
    expect(re.test('ws-invoice-portal@example.com')).toBe(true);
    expect(re.test('a@b..c')).toBe(true);
    expect(re.test('a@.b')).toBe(false);
  });

  it('answers a 1 MB domain full of dots that fails at its end', () => {
    expect(re.test(`a@${'a.'.repeat(500_000)}@`)).toBe(false);
    expect(re.test(`a@${'a.'.repeat(500_000)}a`)).toBe(true);
  });
});
