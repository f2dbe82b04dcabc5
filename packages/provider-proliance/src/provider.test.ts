import { describe, expect, it } from 'vitest';
import provider from './provider.js';

describe('the Proliance provider', () => {
  it('the provider declares its kinds and check; its sandbox is the ./sandbox entry', () => {
    expect(provider.type).toBe('proliance');
    expect(Object.keys(provider.kinds)).toEqual(['ServiceAccount', 'SecurityLevel']);
    expect(typeof provider.check).toBe('function');
    expect('serveSandbox' in provider).toBe(false);
  });
});
