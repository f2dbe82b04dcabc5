import { kindCapabilities } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { account } from '../kinds.testing.js';
import { serviceAccountKind } from './index.js';

describe('ServiceAccount, rules as data', () => {
  it('owner is the immutable natural key; removal deactivates; manual writes', () => {
    expect(serviceAccountKind.naturalKey(account)).toBe('staff:S-1002');
    expect(serviceAccountKind.naturalKey({ ...account, owner: { contact: 'C-2001' } })).toBe(
      'contact:C-2001',
    );
    expect(serviceAccountKind.naturalKeyAttribute).toBe('owner');
    expect(serviceAccountKind.attributes.owner?.immutable).toBe(true);
    expect(serviceAccountKind.attributes.roles).toMatchObject({
      ref: 'SecurityLevel',
      set: true,
      privilege: true,
    });
    expect(kindCapabilities(serviceAccountKind)).toEqual({
      create: 'manual',
      read: 'api',
      update: 'manual',
      delete: 'none',
      rotate: 'none',
    });
    expect(serviceAccountKind.deleteMode).toBe('deactivate');
    expect(serviceAccountKind.deactivation).toEqual({ attribute: 'active', value: false, activeValue: true });
    // No credentials, so no rotation and nothing local; every attribute is read from the export.
    expect('rotate' in serviceAccountKind).toBe(false);
    expect(Object.values(serviceAccountKind.attributes).some((r) => 'verifiable' in r || 'local' in r)).toBe(
      false,
    );
  });
});
