import { describe, expect, it } from 'vitest';
import { fingerprintSecret, Secret } from '../../secret.js';
import { account } from '../fixtures.testing.js';
import { attributeEqual, describeChange, diffAttributes } from './diff.js';

const base = {
  provider: 'p',
  skip: [],
  rules: account.attributes,
  state: undefined,
  outputOf: () => undefined,
  removedFirst: new Map(),
};

describe('diffAttributes', () => {
  it('compares only the given keys, sets without order', () => {
    const r = diffAttributes({
      ...base,
      keys: ['id', 'roles', 'status'],
      desired: { id: 'A', roles: [{ ref: 'r1' }, { ref: 'r2' }], status: 'active' },
      remote: { id: 'A', roles: [{ ref: 'r2' }, { ref: 'r1' }], status: 'locked', other: 1 },
    });
    expect(r).toEqual({ changed: ['status'], relinked: [] });
  });

  it('skips unattested keys; an output not produced yet counts as changed', () => {
    const r = diffAttributes({
      ...base,
      keys: ['id', 'status', 'vendor'],
      skip: ['status'],
      desired: { id: 'A', status: 'x', vendor: { ref: 'p/Vendor/v', output: 'code' } },
      remote: { id: 'A', vendor: 'V1' },
    });
    expect(r.changed).toEqual(['vendor']);
    const known = diffAttributes({
      ...base,
      keys: ['vendor'],
      desired: { vendor: { ref: 'p/Vendor/v', output: 'code' } },
      remote: { vendor: 'V1' },
      outputOf: () => 'V1',
    });
    expect(known.changed).toEqual([]);
  });

  it('an equal reference to an object replaced first is relinked', () => {
    const r = diffAttributes({
      ...base,
      keys: ['roles'],
      desired: { roles: [{ ref: 'admin' }] },
      remote: { roles: [{ ref: 'admin' }] },
      removedFirst: new Map([['p/Role/admin', new Set(['admin', 'ADMIN', '9'])]]),
    });
    expect(r).toEqual({ changed: [], relinked: ['roles'] });
  });
});

describe('attributeEqual', () => {
  it('a secret compares with the fingerprint state recorded, never with the system', () => {
    const secret = new Secret('s3cret', 'env:X');
    const fp = fingerprintSecret('s3cret');
    expect(attributeEqual(secret, undefined, undefined, fp)).toBe(true);
    expect(attributeEqual(new Secret('other', 'env:X'), 's3cret', undefined, fp)).toBe(false);
    expect(attributeEqual('s3cret', 's3cret', { sensitive: true }, undefined)).toBe(false);
  });
});

describe('describeChange', () => {
  it('names gains and losses of a set, hides sensitive values', () => {
    const rule = account.attributes.roles;
    expect(describeChange('roles', [{ ref: 'a' }], [{ ref: 'b' }], rule)).toBe(
      'roles gains b; roles loses a',
    );
    expect(describeChange('pw', 'x', 'y', { sensitive: true })).toBe('pw changes (sensitive)');
    expect(describeChange('status', undefined, 'on', undefined)).toBe('status is set to "on"');
    expect(describeChange('status', 'off', 'on', undefined)).toBe('status: "off" → "on"');
  });
});
