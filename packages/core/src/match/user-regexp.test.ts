import { describe, expect, it } from 'vitest';
import {
  compileUserRegExp,
  USER_REGEXP_CACHE_SIZE,
  UserRegExpError,
  userRegExpProblem,
} from './user-regexp.js';

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

  it('compiles a pattern once per flags (a fleet evaluates the same policies per tenant), bounded', () => {
    const a = compileUserRegExp('^ws-[a-z]+@');
    expect(compileUserRegExp('^ws-[a-z]+@')).toBe(a);
    const i = compileUserRegExp('^ws-[a-z]+@', { ignoreCase: true });
    expect(i).not.toBe(a);
    // The case-insensitive one is not the other's: flags are part of the key.
    expect(a.test('WS-invoice@x')).toBe(false);
    expect(i.test('WS-invoice@x')).toBe(true);
    // Matching one input leaves nothing for the next: the answers depend on the input alone.
    expect(a.test('ws-invoice@x')).toBe(true);
    expect(a.test('john@x')).toBe(false);
    expect(Object.isFrozen(a)).toBe(true);
    // Past the bound the cache starts over: a pattern is compiled again (a new object), same answers.
    for (let n = 0; n < USER_REGEXP_CACHE_SIZE; n++) compileUserRegExp(`^p${n}$`);
    const again = compileUserRegExp('^ws-[a-z]+@');
    expect(again).not.toBe(a);
    expect(again.test('ws-invoice@x')).toBe(true);
    // A refused pattern is refused every time (never cached as if it compiled).
    expect(() => compileUserRegExp('^(a)\\1$')).toThrow(UserRegExpError);
    expect(() => compileUserRegExp('^(a)\\1$')).toThrow(UserRegExpError);
  });
});
