import { describe, expect, it } from 'vitest';
import { desired } from '../fixtures.testing.js';
import { immutableRule } from './immutable.js';

const base = {
  d: desired('Account', 'a', { id: 'WS_NEW' }),
  key: 'id',
  rule: { immutable: true },
  remoteKey: 'WS_OLD',
  from: 'WS_OLD',
  to: 'WS_NEW',
};

describe('immutableRule', () => {
  it('refuses the change at the attribute line unless a replacement is allowed', () => {
    expect(immutableRule({ ...base, replaceAllowed: false })).toEqual({
      severity: 'error',
      code: 'rule.immutable',
      message:
        'id of Account WS_OLD cannot be changed once created ("WS_OLD" → "WS_NEW"); set lifecycle.allowReplace: true to replace the object instead',
      address: 'p/Account/a',
      file: 'm.yaml',
      line: '/spec/id'.length,
      column: 3,
    });
  });

  it('replaces when allowed (lifecycle.allowReplace or --replace)', () => {
    expect(immutableRule({ ...base, replaceAllowed: true })).toBe('replace');
  });

  it('has nothing to say of a mutable attribute', () => {
    expect(
      immutableRule({ ...base, rule: { fixedAtCreation: true }, replaceAllowed: false }),
    ).toBeUndefined();
  });
});
