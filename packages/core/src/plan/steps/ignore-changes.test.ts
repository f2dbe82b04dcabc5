import { describe, expect, it } from 'vitest';
import { withoutIgnored } from './ignore-changes.js';

describe('withoutIgnored', () => {
  it('takes the ignored attributes out of what is compared', () => {
    expect(withoutIgnored({ id: 'A', roles: [] }, ['roles'])).toEqual({ id: 'A' });
  });

  it('gives the same object back when nothing is ignored (no copy)', () => {
    const attrs = { id: 'A' };
    expect(withoutIgnored(attrs, undefined)).toBe(attrs);
    expect(withoutIgnored(attrs, ['roles'])).toBe(attrs);
  });
});
