import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { refSchema, sortedRefs } from './ref-schema.js';

describe('refSchema', () => {
  const validate = new Ajv2020({ strict: false }).compile(refSchema('The group.'));

  it('takes exactly one ref naming another resource', () => {
    expect(validate({ ref: 'admins' })).toBe(true);
    expect(validate({ ref: 'admins', extra: 1 })).toBe(false);
    expect(validate({})).toBe(false);
    expect(validate('admins')).toBe(false);
  });

  it('carries the description it is given', () => {
    expect(refSchema('The group.').description).toBe('The group.');
  });
});

describe('sortedRefs', () => {
  it('sorts by code point and drops repeats', () => {
    expect(sortedRefs(['b', 'B', 'a', 'b'])).toEqual([{ ref: 'B' }, { ref: 'a' }, { ref: 'b' }]);
  });
});
