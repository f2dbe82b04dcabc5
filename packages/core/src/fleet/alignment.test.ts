import { describe, expect, it } from 'vitest';
import { alignmentOf, formatAlignment } from './alignment.js';

describe('alignmentOf', () => {
  it('is n/a, not 100 %, when no baseline resource applies', () => {
    const a = alignmentOf({ applicable: [], deviated: [], changed: [], drifted: [] });
    expect(a).toEqual({ applicable: 0, aligned: 0, percent: null });
    expect(formatAlignment(a)).toBe('n/a');
  });

  it('counts a resource out once for a deviation, a pending change or drift, together or not', () => {
    const a = alignmentOf({
      applicable: ['p/K/a', 'p/K/b', 'p/K/c', 'p/K/d'],
      deviated: ['p/K/a'],
      changed: ['p/K/b', 'p/K/a'],
      drifted: ['p/K/b'],
    });
    expect(a).toEqual({ applicable: 4, aligned: 2, percent: 50 });
  });

  it('ignores what is not applicable (a tenant resource, a resource the selector skips)', () => {
    const a = alignmentOf({
      applicable: ['p/K/a'],
      deviated: [],
      changed: ['p/K/own'],
      drifted: ['p/K/skipped'],
    });
    expect(a.percent).toBe(100);
  });

  it('rounds down: 2 of 3 is 66 %, and 199 of 200 is 99 %, never a 100 that is not true', () => {
    const three = ['a', 'b', 'c'];
    expect(alignmentOf({ applicable: three, deviated: ['c'], changed: [], drifted: [] }).percent).toBe(66);
    const many = Array.from({ length: 200 }, (_, i) => `r${i}`);
    expect(alignmentOf({ applicable: many, deviated: [], changed: ['r0'], drifted: [] }).percent).toBe(99);
    expect(formatAlignment(alignmentOf({ applicable: many, deviated: [], changed: [], drifted: [] }))).toBe(
      '100 %',
    );
  });
});
