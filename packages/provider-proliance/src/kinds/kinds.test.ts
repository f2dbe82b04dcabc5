import { kindCapabilities, SchemaValidator } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config.js';
import provider from '../provider.js';
import { securityLevelKind } from './security-level/index.js';
import { serviceAccountKind } from './service-account/index.js';

const validator = new SchemaValidator();
const problems = (schema: Record<string, unknown>, value: unknown) => {
  const r = validator.check(schema, value, '/spec');
  if ('schemaError' in r) throw new Error(r.schemaError);
  return r.problems.map((p) => p.pointer);
};

const account = {
  owner: { staff: 'S-1002' },
  accountName: 'procore-sync',
  securityCategory: 'Integration',
  roles: [{ ref: 'project-sync' }],
  systemIntegration: { externalSystem: 'Procore', externalAccount: 'svc-proliance@procore.example' },
  active: true,
};
const role = {
  name: 'Integration - Project Sync',
  description: 'Reads projects, updates costs',
  permissions: { Projects: ['Read', 'Update'], 'Cost Management': ['Read'] },
  securityPermissions: false,
};

describe('schemas', () => {
  it('accept the documented shapes', () => {
    expect(problems(serviceAccountKind.schema, account)).toEqual([]);
    expect(problems(serviceAccountKind.schema, { ...account, owner: { contact: 'C-2001' } })).toEqual([]);
    expect(problems(securityLevelKind.schema, role)).toEqual([]);
    expect(problems(configSchema, { type: 'proliance', endpoint: 'sandbox' })).toEqual([]);
    expect(problems(configSchema, { type: 'proliance', export: { dir: 'exports', delimiter: ';' } })).toEqual(
      [],
    );
  });

  it('take one owner, staff or contact, never both', () => {
    expect(
      problems(serviceAccountKind.schema, { ...account, owner: { staff: 'S-1', contact: 'C-1' } }),
    ).not.toEqual([]);
    expect(problems(serviceAccountKind.schema, { ...account, owner: { staff: ' S-1' } })).not.toEqual([]);
  });

  it('have no password, credentials or log-on setting: the account cannot log on', () => {
    for (const extra of [{ password: 'x' }, { credentials: { secret: 'x' } }, { canLogOn: true }]) {
      expect(problems(serviceAccountKind.schema, { ...account, ...extra })).not.toEqual([]);
    }
  });

  it('keep ";" out of role names and ":" "," ";" out of permission areas (the export separates with them)', () => {
    expect(problems(securityLevelKind.schema, { ...role, name: 'A; B' })).not.toEqual([]);
    expect(problems(securityLevelKind.schema, { ...role, permissions: { 'A: B': ['Read'] } })).not.toEqual(
      [],
    );
    expect(problems(securityLevelKind.schema, { ...role, permissions: { A: [] } })).not.toEqual([]);
    expect(problems(securityLevelKind.schema, { ...role, permissions: { A: ['Approve'] } })).not.toEqual([]);
  });

  it('require securityPermissions to be said explicitly', () => {
    const { securityPermissions: _s, ...rest } = role;
    expect(problems(securityLevelKind.schema, rest)).not.toEqual([]);
  });

  it('want endpoint: sandbox or export, not both, and export dir or files', () => {
    expect(problems(configSchema, { type: 'proliance' })).not.toEqual([]);
    expect(
      problems(configSchema, { type: 'proliance', endpoint: 'sandbox', export: { dir: 'x' } }),
    ).not.toEqual([]);
    expect(problems(configSchema, { type: 'proliance', endpoint: 'https://proliance.example' })).not.toEqual(
      [],
    );
    expect(problems(configSchema, { type: 'proliance', export: { dir: 'x', files: {} } })).not.toEqual([]);
    expect(problems(configSchema, { type: 'proliance', export: { files: { staff: 'a.csv' } } })).not.toEqual(
      [],
    );
  });
});

describe('SecurityLevel checks', () => {
  it('refuses Security Permissions as a permission area, at its pointer', () => {
    const d = securityLevelKind.check({
      name: 'x',
      spec: { ...role, permissions: { 'security permissions': ['Read'] } },
    }).diagnostics;
    expect(d).toEqual([
      {
        severity: 'error',
        code: 'proliance.security-permissions-area',
        message:
          'security role Integration - Project Sync: give Security Permissions with securityPermissions: true|false, not as a permission area (roster checks which accounts hold it)',
        path: '/permissions/security permissions',
      },
    ]);
  });

  it('refuses an area listed twice in different case', () => {
    const d = securityLevelKind.check({
      name: 'x',
      spec: { ...role, permissions: { Projects: ['Read'], projects: ['Update'] } },
    }).diagnostics;
    expect(d.map((x) => [x.code, x.path])).toEqual([
      ['proliance.duplicate-permission-area', '/permissions/projects'],
    ]);
  });
});

describe('rules as data', () => {
  it('ServiceAccount: owner is the immutable natural key; removal deactivates; manual writes', () => {
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

  it('SecurityLevel: every operation manual but reading; every attribute verified', () => {
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

  it('the provider declares its kinds, check and sandbox', () => {
    expect(provider.type).toBe('proliance');
    expect(Object.keys(provider.kinds)).toEqual(['ServiceAccount', 'SecurityLevel']);
    expect(typeof provider.check).toBe('function');
    expect('serveSandbox' in provider).toBe(false);
  });
});
