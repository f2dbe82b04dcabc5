import { describe, expect, it } from 'vitest';
import { compileGlob, globMatch } from './glob.js';

/** The matcher roster used before: the pattern compiled to a backtracking RegExp. */
function oldGlob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('globMatch', () => {
  it('matches the whole value; * is any run of characters, / and the empty run included', () => {
    expect(globMatch('p/*', 'p/Account/a')).toBe(true);
    expect(globMatch('p/*', 'p/')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('', 'a')).toBe(false);
    expect(globMatch('a*b*c', 'abc')).toBe(true);
    expect(globMatch('a*b*c', 'a/x/b/y/c')).toBe(true);
    expect(globMatch('a*b*c', 'acb')).toBe(false);
    expect(globMatch('ab*ba', 'aba')).toBe(false);
    expect(globMatch('ab*ba', 'abba')).toBe(true);
    expect(globMatch('**', 'x')).toBe(true);
    expect(globMatch('a.b', 'aXb')).toBe(false);
    expect(globMatch('(x)|[y]+?', '(x)|[y]+?')).toBe(true);
    expect(globMatch('a', 'ab')).toBe(false);
    expect(compileGlob('p/*/x').pattern).toBe('p/*/x');
  });

  it('agrees with the old RegExp semantics on 20,000 generated cases', () => {
    const seed = Number(process.env.ROSTER_GLOB_SEED ?? 1612);
    const rand = prng(seed);
    const pick = (chars: string) => chars[Math.floor(rand() * chars.length)]!;
    const text = (chars: string, max: number) =>
      Array.from({ length: Math.floor(rand() * (max + 1)) }, () => pick(chars)).join('');
    let matched = 0;
    for (let i = 0; i < 20_000; i++) {
      // Few letters, so stars have many ways to split a value; regex metacharacters stay literal.
      const pattern = text('ab/*.*(*', 10);
      const value =
        rand() < 0.5 ? text('ab/.(', 14) : pattern.replace(/\*/g, () => text('ab/.', 3)) + text('ab', 1);
      const expected = oldGlob(pattern).test(value);
      if (expected) matched++;
      expect(
        globMatch(pattern, value),
        `seed ${seed}: ${JSON.stringify(pattern)} vs ${JSON.stringify(value)}`,
      ).toBe(expected);
    }
    // Both outcomes are well represented.
    expect(matched).toBeGreaterThan(2_000);
    expect(matched).toBeLessThan(18_000);
  });

  it('answers the patterns that blew up the RegExp (8 and 20 stars against a long address)', () => {
    const address = `intacct-prod/ServiceAccount/${'a'.repeat(63)}`;
    expect(globMatch(`intacct-prod/ServiceAccount/${'*a'.repeat(8)}!`, address)).toBe(false);
    expect(globMatch(`${'*a'.repeat(20)}*`, address)).toBe(true);
    expect(globMatch(`${'*a'.repeat(70)}*`, address)).toBe(false);
    expect(globMatch(`${'*a'.repeat(20)}*!`, `${'a'.repeat(100_000)}`)).toBe(false);
  });
});
