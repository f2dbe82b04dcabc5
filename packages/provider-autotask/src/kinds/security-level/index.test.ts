import { kindCapabilities } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { level, problems } from '../kinds.testing.js';
import { securityLevelKind } from './index.js';

describe('SecurityLevel kind', () => {
  it('its schema accepts the manifest of DESIGN §2 and refuses a malformed permission or an unknown right', () => {
    expect(problems(securityLevelKind.schema, level)).toEqual([]);
    expect(problems(securityLevelKind.schema, { name: 'X', permissions: { Tickets: 'All' } })).not.toEqual(
      [],
    );
    expect(problems(securityLevelKind.schema, { name: 'X', permissions: { 'A › B': ['Read'] } })).not.toEqual(
      [],
    );
    expect(problems(securityLevelKind.schema, { name: 'X', permissions: { 'A › B': 'Some' } })).not.toEqual(
      [],
    );
    expect(
      problems(securityLevelKind.schema, { name: 'X', permissions: { 'Admin › Resources/Users': [] } }),
    ).toEqual([]);
  });

  it('is UI only, unreadable, deactivated by hand', () => {
    expect(kindCapabilities(securityLevelKind)).toEqual({
      create: 'manual',
      read: 'none',
      update: 'manual',
      delete: 'none',
      rotate: 'none',
    });
    expect(Object.values(securityLevelKind.attributes).every((r) => r.verifiable === false)).toBe(true);
    expect(securityLevelKind.attributes.copiedFrom).toMatchObject({ fixedAtCreation: true });
    expect(securityLevelKind.deactivation).toEqual({ attribute: 'active', value: false, activeValue: true });
    expect(securityLevelKind.naturalKey(level)).toBe('Office Protect Alerts (API)');
  });
  it('warn about an inactive security level, refuse a copy of itself', () => {
    const r = securityLevelKind.check({
      name: 'l',
      spec: { ...level, active: false, copiedFrom: level.name },
    });
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['warning', 'autotask.security-level-inactive'],
      ['error', 'autotask.copied-from-itself'],
    ]);
  });
});
