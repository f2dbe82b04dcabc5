import { describe, expect, it } from 'vitest';
import { account } from '../fixtures.testing.js';
import { refsTo, relinkBefore, withoutRefs } from './relink.js';

const removedFirst = new Map([['p/Role/admin', new Set(['admin', 'ADMIN', '9'])]]);

describe('relink', () => {
  it('finds references to an object removed first, by manifest name or natural key', () => {
    expect(refsTo([{ ref: 'admin' }], removedFirst, 'p/Role/')).toEqual(new Set(['admin', 'ADMIN', '9']));
    expect(refsTo([{ ref: 'ADMIN' }], removedFirst, 'p/Role/').size).toBe(3);
    expect(refsTo([{ ref: 'admin' }], removedFirst, 'p/Group/').size).toBe(0);
    expect(refsTo([{ ref: 'other' }], removedFirst, 'p/Role/').size).toBe(0);
  });

  it('takes those references out of what the system will hold', () => {
    expect(withoutRefs([{ ref: 'ADMIN' }, { ref: 'ro' }], new Set(['ADMIN']))).toEqual([{ ref: 'ro' }]);
    expect(withoutRefs({ ref: '9' }, new Set(['9']))).toBeNull();
    const before = { roles: [{ ref: 'ADMIN' }, { ref: 'ro' }], id: 'A' };
    const out = relinkBefore({
      before,
      relinked: ['roles'],
      desired: { roles: [{ ref: 'admin' }] },
      rules: account.attributes,
      removedFirst,
      provider: 'p',
    });
    expect(out).toEqual({ roles: [{ ref: 'ro' }], id: 'A' });
    expect(before.roles).toHaveLength(2);
  });
});
