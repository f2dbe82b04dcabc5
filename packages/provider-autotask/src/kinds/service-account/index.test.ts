import { kindCapabilities } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { account, problems } from '../kinds.testing.js';
import { serviceAccountKind } from './index.js';

describe('ServiceAccount kind', () => {
  it('its schema accepts the manifest of DESIGN §2 and refuses a bad e-mail, a missing vendor, an unknown credential', () => {
    expect(problems(serviceAccountKind.schema, account)).toEqual([]);
    expect(problems(serviceAccountKind.schema, { ...account, email: 'alerts' })).not.toEqual([]);
    const { integrationVendor: _v, ...noVendor } = account;
    expect(problems(serviceAccountKind.schema, noVendor)).not.toEqual([]);
    expect(
      problems(serviceAccountKind.schema, { ...account, credentials: { secret: 'x', password: 'y' } }),
    ).not.toEqual([]);
  });

  it('is created by hand, read and updated by API, never deleted; UI-only attributes attested', () => {
    expect(kindCapabilities(serviceAccountKind)).toEqual({
      create: 'manual',
      read: 'api',
      update: 'api',
      delete: 'none',
      rotate: 'manual',
    });
    expect(serviceAccountKind.deleteMode).toBe('deactivate');
    expect(serviceAccountKind.deactivation).toEqual({ attribute: 'active', value: false, activeValue: true });
    expect(serviceAccountKind.attributes.integrationVendor).toMatchObject({
      fixedAtCreation: true,
      verifiable: false,
    });
    expect(serviceAccountKind.attributes.securityLevel).toMatchObject({
      ref: 'SecurityLevel',
      verifiable: false,
      update: 'manual',
      privilege: true,
    });
    expect(serviceAccountKind.attributes.locked).toMatchObject({ verifiable: false, update: 'manual' });
    expect(serviceAccountKind.attributes.credentials).toMatchObject({ local: true });
    expect(serviceAccountKind.naturalKey({ email: ' Alerts@Example.COM ' })).toBe('alerts@example.com');
  });

  it('warn that an inactive or locked API user cannot sign in, and about a secret with nowhere to go', () => {
    const r = serviceAccountKind.check({
      name: 'op',
      spec: { ...account, active: false, locked: true, credentials: undefined },
    });
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.path])).toEqual([
      ['warning', 'autotask.api-user-inactive', '/active'],
      ['warning', 'autotask.api-user-locked', '/locked'],
      ['warning', 'autotask.no-secret-place', ''],
    ]);
    expect(r.diagnostics[0]!.message).toBe(
      'API user alerts@example.com is declared inactive: the integration using it cannot sign in (an API user must be active and not locked)',
    );
    expect(serviceAccountKind.check({ name: 'op', spec: account }).diagnostics).toEqual([]);
  });
});
