import { kindCapabilities, SchemaValidator } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { checkProvider } from '../checks.js';
import { configSchema } from '../config.js';
import { securityLevelKind } from './security-level/index.js';
import { serviceAccountKind } from './service-account/index.js';

const validator = new SchemaValidator();
const problems = (schema: Record<string, unknown>, value: unknown) => {
  const r = validator.check(schema, value, '/spec');
  if ('schemaError' in r) throw new Error(r.schemaError);
  return r.problems;
};

const account = {
  email: 'alerts@example.com',
  securityLevel: { ref: 'alerts-api' },
  integrationVendor: 'Office Protect - Alert Integration',
  active: true,
  locked: false,
  credentials: { secret: '(sensitive)', rotateAfterDays: 90 },
};
const level = {
  name: 'Office Protect Alerts (API)',
  copiedFrom: "API User (system) Can't Read Costs (API-only)",
  permissions: { 'CRM › Account & Contact Access': 'All', 'Service Desk › Tickets': ['View', 'Add', 'Edit'] },
};

describe('schemas', () => {
  it('accept the manifests of DESIGN §2 and the example', () => {
    expect(problems(serviceAccountKind.schema, account)).toEqual([]);
    expect(problems(securityLevelKind.schema, level)).toEqual([]);
    expect(problems(configSchema, { type: 'autotask', endpoint: 'sandbox' })).toEqual([]);
    expect(
      problems(configSchema, { type: 'autotask', endpoint: 'https://webservices2.autotask.net' }),
    ).toEqual([]);
  });

  it('refuse a malformed permission, an unknown right, a bad e-mail and a missing vendor', () => {
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
    expect(problems(serviceAccountKind.schema, { ...account, email: 'alerts' })).not.toEqual([]);
    const { integrationVendor: _v, ...noVendor } = account;
    expect(problems(serviceAccountKind.schema, noVendor)).not.toEqual([]);
    expect(
      problems(serviceAccountKind.schema, { ...account, credentials: { secret: 'x', password: 'y' } }),
    ).not.toEqual([]);
  });
});

describe('rules declared as data', () => {
  it('ServiceAccount: created by hand, read and updated by API, never deleted; UI-only attributes attested', () => {
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

  it('SecurityLevel: UI only, unreadable, deactivated by hand', () => {
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
});

describe('checks', () => {
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

  it('across resources: duplicates, unknown bases, inactive levels and what the vendor needs', () => {
    const res = (kind: string, name: string, spec: Record<string, unknown>) => ({
      address: `at/${kind}/${name}`,
      kind,
      name,
      labels: {},
      spec,
    });
    const r = checkProvider({
      provider: 'at',
      config: {},
      referenced: [],
      resources: [
        res('SecurityLevel', 'alerts-api', {
          ...level,
          active: false,
          permissions: { 'CRM › Account & Contact Access': 'Mine', 'Service Desk › Tickets': ['View'] },
        }),
        res('SecurityLevel', 'twin', { name: level.name.toUpperCase(), copiedFrom: 'Administrator' }),
        res('SecurityLevel', 'derived', { name: 'Derived', copiedFrom: level.name }),
        res('ServiceAccount', 'op', account),
        res('ServiceAccount', 'op2', {
          ...account,
          email: 'ALERTS@example.com',
          integrationVendor: 'Zapier',
        }),
      ],
    });
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.address, d.path])).toEqual([
      ['error', 'autotask.duplicate-security-level', 'at/SecurityLevel/twin', '/name'],
      ['warning', 'autotask.copied-from-unknown', 'at/SecurityLevel/twin', '/copiedFrom'],
      ['warning', 'autotask.inactive-security-level', 'at/ServiceAccount/op', '/securityLevel'],
      ['warning', 'autotask.vendor-permissions', 'at/ServiceAccount/op', '/securityLevel'],
      ['warning', 'autotask.vendor-permissions', 'at/ServiceAccount/op', '/securityLevel'],
      ['error', 'autotask.duplicate-email', 'at/ServiceAccount/op2', '/email'],
      ['warning', 'autotask.inactive-security-level', 'at/ServiceAccount/op2', '/securityLevel'],
    ]);
    expect(r.diagnostics[3]!.message).toBe(
      'Office Protect - Alert Integration needs CRM › Account & Contact Access: All, but security level Office Protect Alerts (API) gives Mine',
    );
    expect(r.diagnostics[4]!.message).toMatch(
      /Service Desk › Tickets: at least View, Add, Edit, .* gives View \(not Add, Edit, Delete\)$/,
    );
  });
});
