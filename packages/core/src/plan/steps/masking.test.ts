import { describe, expect, it } from 'vitest';
import { SENSITIVE_PLACEHOLDER, Secret } from '../../secret.js';
import { mask, maskPatch, plainValue, stripSensitive } from './masking.js';

const rules = { pw: { sensitive: true }, key: { writeOnly: true }, creds: { local: true } };

describe('masking', () => {
  it('shows sensitive and write-only values as the placeholder, the rest as plain data', () => {
    expect(mask({ pw: 'x', key: 'k', id: 'A', nested: { s: new Secret('v', 'env:V') } }, rules)).toEqual({
      pw: SENSITIVE_PLACEHOLDER,
      key: SENSITIVE_PLACEHOLDER,
      id: 'A',
      nested: { s: SENSITIVE_PLACEHOLDER },
    });
    expect(mask(null, rules)).toBeNull();
  });

  it('masks the values of patch operations on sensitive attributes', () => {
    const ops = maskPatch(
      [
        { op: 'replace', path: '/pw', value: 'new' },
        { op: 'replace', path: '/id', value: 'B' },
        { op: 'remove', path: '/key' },
      ],
      rules,
    );
    expect(ops).toEqual([
      { op: 'replace', path: '/pw', value: SENSITIVE_PLACEHOLDER },
      { op: 'replace', path: '/id', value: 'B' },
      { op: 'remove', path: '/key' },
    ]);
  });

  it('leaves sensitive, write-only and local attributes out of runbooks', () => {
    expect(stripSensitive({ pw: 'x', key: 'k', creds: {}, id: 'A' }, rules)).toEqual({ id: 'A' });
    expect(plainValue(undefined)).toBeUndefined();
  });
});
