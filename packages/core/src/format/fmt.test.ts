import { describe, expect, it } from 'vitest';
import { SENSITIVE_PLACEHOLDER, Secret } from '../secret.js';
import { fmt } from './fmt.js';

describe('fmt', () => {
  it('writes a value as one short line, secrets as the placeholder', () => {
    expect(fmt(undefined)).toBe('(unset)');
    expect(fmt('a')).toBe('"a"');
    expect(fmt([{ ref: 'r' }, 1])).toBe('[{"ref":"r"},1]');
    expect(fmt(new Secret('s', 'env:S'))).toBe(SENSITIVE_PLACEHOLDER);
    expect(fmt({ token: new Secret('s', 'env:S') })).toBe(
      `{"token":${JSON.stringify(SENSITIVE_PLACEHOLDER)}}`,
    );
  });
});
