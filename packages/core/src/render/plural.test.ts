import { describe, expect, it } from 'vitest';
import { plural } from './plural.js';

describe('plural', () => {
  it('uses the singular for exactly one, the plural otherwise (zero included)', () => {
    expect(plural(1, 'change')).toBe('1 change');
    expect(plural(2, 'change')).toBe('2 changes');
    expect(plural(0, 'account')).toBe('0 accounts');
    expect(plural(1, 'policy finding')).toBe('1 policy finding');
  });

  it('takes an irregular plural and groups thousands', () => {
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(12_345, 'call')).toBe('12,345 calls');
  });
});
