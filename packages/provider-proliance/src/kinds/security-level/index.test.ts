import { kindCapabilities } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { role } from '../kinds.testing.js';
import { securityLevelKind } from './index.js';

describe('SecurityLevel, rules as data', () => {
  it('every operation manual but reading; every attribute verified', () => {
    expect(securityLevelKind.naturalKey(role)).toBe('Integration - Project Sync');
    expect(kindCapabilities(securityLevelKind)).toEqual({
      create: 'manual',
      read: 'api',
      update: 'manual',
      delete: 'manual',
      rotate: 'none',
    });
    expect(securityLevelKind.attributes.permissions).toMatchObject({ set: true, privilege: true });
    expect(Object.values(securityLevelKind.attributes).some((r) => 'verifiable' in r)).toBe(false);
  });
});
