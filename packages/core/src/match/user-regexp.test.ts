import { describe, expect, it } from 'vitest';
import { compileUserRegExp, UserRegExpError, userRegExpProblem } from './user-regexp.js';

describe('compileUserRegExp', () => {
  it('matches like RegExp.prototype.test: anywhere unless anchored, case-insensitive when asked', () => {
    const personal = compileUserRegExp('^[a-z]+[._][a-z]+@', { ignoreCase: true });
    expect(personal.test('John.Smith@example.com')).toBe(true);
    expect(personal.test('ws-invoice@example.com')).toBe(false);
    expect(compileUserRegExp('b').test('abc')).toBe(true);
    expect(compileUserRegExp('B').test('abc')).toBe(false);
    expect(compileUserRegExp('^\\d{3}-\\w+$').test('123-abc')).toBe(true);
  });

  it('answers a catastrophic pattern on a long input (RE2: linear time)', () => {
    const nested = compileUserRegExp('^(a+)+$', { ignoreCase: true });
    expect(nested.test(`${'a'.repeat(36)}@example.com`)).toBe(false);
    expect(nested.test('a'.repeat(100_000))).toBe(true);
    expect(compileUserRegExp('^(.*a){12}$').test(`${'a'.repeat(5_000)}b`)).toBe(false);
  });

  it('refuses backreferences and lookaround with the reason', () => {
    expect(() => compileUserRegExp('^(a)\\1$')).toThrow(UserRegExpError);
    expect(userRegExpProblem('^(a)\\1$')).toMatch(/backreferences are not supported/);
    expect(userRegExpProblem('(?<n>a)\\k<n>')).toMatch(/backreferences are not supported/);
    expect(userRegExpProblem('^(?!admin)')).toMatch(/lookahead and lookbehind are not supported/);
    expect(userRegExpProblem('(?<=x)y')).toMatch(/lookahead and lookbehind are not supported/);
    expect(userRegExpProblem('(a')).toMatch(/^regular expression "\(a" is refused: missing closing \)/);
    expect(userRegExpProblem('^[a-z]+[._][a-z]+@')).toBeUndefined();
  });
});
