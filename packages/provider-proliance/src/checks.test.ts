import type { CheckedResource, ProviderCheckRequest } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { checkOwners, checkProvider } from './checks.js';
import type { ParsedExport } from './client/format.js';

const role = (name: string, spec: Record<string, unknown>): CheckedResource => ({
  address: `proliance/SecurityLevel/${name}`,
  kind: 'SecurityLevel',
  name,
  labels: {},
  spec,
});
const account = (name: string, spec: Record<string, unknown>): CheckedResource => ({
  address: `proliance/ServiceAccount/${name}`,
  kind: 'ServiceAccount',
  name,
  labels: {},
  spec: { securityCategory: 'Integration', ...spec },
});
const request = (resources: CheckedResource[]): ProviderCheckRequest => ({
  provider: 'proliance',
  config: { type: 'proliance', endpoint: 'sandbox' },
  resources,
  referenced: [],
});

describe('Provider.check', () => {
  it('finds nothing to say about roles without Security Permissions', () => {
    const result = checkProvider(
      request([
        role('sync-role', { name: 'Integration - Project Sync', securityPermissions: false }),
        account('procore', {
          owner: { staff: 'S-1002' },
          accountName: 'procore-sync',
          roles: [{ ref: 'sync-role' }],
        }),
      ]),
    );
    expect(result.diagnostics).toEqual([]);
  });

  it('refuses two accounts on one owner, and two with one account name', () => {
    const result = checkProvider(
      request([
        account('a', { owner: { staff: 'S-1002' }, accountName: 'sync' }),
        account('b', { owner: { staff: 's-1002' }, accountName: 'other' }),
        account('c', { owner: { contact: 'S-1002' }, accountName: 'SYNC' }),
      ]),
    );
    expect(result.diagnostics.map((d) => [d.code, d.address, d.path, d.severity])).toEqual([
      ['proliance.duplicate-owner', 'proliance/ServiceAccount/b', '/owner', 'error'],
      ['proliance.duplicate-account-name', 'proliance/ServiceAccount/c', '/accountName', 'error'],
    ]);
    expect(result.diagnostics[0]!.message).toBe(
      'staff member s-1002 also holds proliance/ServiceAccount/a: Proliance keeps one account per staff member or contact, so each integration account needs its own',
    );
  });

  it('refuses two roles whose names differ only in case', () => {
    const result = checkProvider(
      request([
        role('a', { name: 'Reader', securityPermissions: false }),
        role('b', { name: 'READER', securityPermissions: false }),
      ]),
    );
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'proliance.duplicate-security-role',
        address: 'proliance/SecurityLevel/b',
      }),
    ]);
  });
});

const exportData: ParsedExport = {
  files: {
    staff: '/exports/staff.csv',
    contacts: '/exports/contacts.csv',
    accounts: '/exports/accounts.csv',
    securityRoles: '/exports/security-roles.csv',
  },
  staff: [
    { id: 'S-1002', name: 'Integration Services', active: true, line: 2 },
    { id: 'S-1003', name: 'Pat Rivera', active: false, line: 3 },
    { id: 'S-1004', name: 'Sam Taylor', active: true, line: 4 },
  ],
  contacts: [{ id: 'C-2001', name: 'Northwind Sync', active: true, line: 2 }],
  accounts: [
    {
      ownerType: 'staff',
      ownerId: 'S-1004',
      accountName: 'staylor',
      accountType: 'user',
      securityCategory: 'Internal',
      roles: ['Administrator'],
      active: true,
      line: 2,
    },
    {
      ownerType: 'staff',
      ownerId: 'S-1003',
      accountName: 'legacy-sync',
      accountType: 'integration',
      securityCategory: 'Integration',
      roles: [],
      active: true,
      line: 3,
    },
  ],
  securityRoles: [],
  exportedAt: '2025-03-01T00:00:00.000Z',
};

describe('checkOwners (validate)', () => {
  const check = (...resources: CheckedResource[]) =>
    checkOwners({ export: exportData, resources }).diagnostics;

  it('errors at /owner when the staff member does not exist, naming the procedure', () => {
    expect(check(account('x', { owner: { staff: 'S-9999' }, accountName: 'x' }))).toEqual([
      {
        severity: 'error',
        code: 'proliance.owner-missing',
        message:
          'staff member S-9999 does not exist in Proliance (not in the Staff register export /exports/staff.csv): an integration account is made on an existing staff member or contact, so create the staff member first (Organization work area › Staff › New), export the registers again, and plan again',
        address: 'proliance/ServiceAccount/x',
        path: '/owner',
      },
    ]);
  });

  it('says which contact export it looked in, and the exported spelling of an ID', () => {
    const [missing, otherCase] = check(
      account('x', { owner: { contact: 'C-404' }, accountName: 'x' }),
      account('y', { owner: { contact: 'c-2001' }, accountName: 'y' }),
    );
    expect(missing!.message).toContain(
      'contact C-404 does not exist in Proliance (not in the Contacts register export /exports/contacts.csv)',
    );
    expect(missing!.message).toContain('create the contact first (Organization work area › Contacts › New)');
    expect(otherCase!.message).toBe(
      'contact c-2001 is not in the Contacts register export (/exports/contacts.csv), but C-2001 is: write the ID as Proliance shows it',
    );
  });

  it('errors for a new account on an inactive owner, warns for an existing one', () => {
    expect(check(account('x', { owner: { staff: 'S-1003' }, accountName: 'legacy-sync' }))).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'proliance.owner-inactive' }),
    ]);
    const after = checkOwners({
      export: { ...exportData, accounts: [] },
      resources: [account('x', { owner: { staff: 'S-1003' }, accountName: 'x' })],
    }).diagnostics;
    expect(after).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'proliance.owner-inactive',
        message:
          'staff member S-1003 (Pat Rivera) is inactive: Proliance creates integration accounts for active staff members and contacts only; make the staff member active first (Organization work area › Staff › S-1003), or use another',
      }),
    ]);
  });

  it("errors at /accountName when another document's account has the name", () => {
    expect(check(account('x', { owner: { staff: 'S-1002' }, accountName: 'STAYLOR' }))).toEqual([
      expect.objectContaining({
        code: 'proliance.account-name-taken',
        path: '/accountName',
        message:
          'account name STAYLOR is already used by the account of staff member S-1004: Proliance account names are unique',
      }),
    ]);
  });

  it('passes an existing, active owner and ignores security roles', () => {
    expect(
      check(
        account('x', { owner: { staff: 'S-1002' }, accountName: 'procore-sync' }),
        role('r', { name: 'Reader', securityPermissions: false }),
      ),
    ).toEqual([]);
  });
});
