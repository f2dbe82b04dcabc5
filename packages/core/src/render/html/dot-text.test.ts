import { describe, expect, it } from 'vitest';
import { dotAttrs, dotString } from './dot-text.js';

describe('DOT text', () => {
  it('quotes a value, escaping backslashes and quotes, and flattens line breaks', () => {
    expect(dotString('a"b\\N\nc')).toBe('"a\\"b\\\\N c"');
  });

  it('writes attributes, skips undefined ones, and joins label lines after escaping each', () => {
    expect(dotAttrs({ class: 'account stale', tooltip: undefined }, ['svc "x"', 'User'])).toBe(
      'class="account stale", label="svc \\"x\\"\\nUser"',
    );
  });
});
