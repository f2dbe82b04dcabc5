import { describe, expect, it } from 'vitest';
import { fixedAtCreationRule } from './fixed-at-creation.js';

describe('fixedAtCreationRule', () => {
  it('a change of a fixed-at-creation attribute replaces the object', () => {
    expect(fixedAtCreationRule({ fixedAtCreation: true })).toBe('replace');
  });

  it('leaves other attributes, and immutable ones (their own rule), alone', () => {
    expect(fixedAtCreationRule(undefined)).toBeUndefined();
    expect(fixedAtCreationRule({ privilege: true })).toBeUndefined();
    expect(fixedAtCreationRule({ fixedAtCreation: true, immutable: true })).toBeUndefined();
  });
});
