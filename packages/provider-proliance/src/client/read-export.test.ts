import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ExportFiles } from './format.js';
import {
  ExportError,
  filesIn,
  parseAccounts,
  parsePermissions,
  parseSecurityRoles,
  parseStaff,
  readExport,
} from './read-export.js';
import { ExportSource } from './source.js';
import { exportObjects } from './to-remote.js';

const STAFF = [
  'Staff ID,Name,Email,Active',
  'S-1001,"Morgan, Alex",alex@example.com,Yes',
  'S-1002,Integration Services,,Yes',
  'S-1003,Pat Rivera,pat@example.com,No',
].join('\r\n');
const CONTACTS = [
  'Contact ID,Name,Company,Email,Active',
  'C-2001,Northwind Sync,Northwind Traders,,Yes',
].join('\r\n');
const ACCOUNTS = [
  'Owner Type,Owner ID,Account Name,Account Type,Security Category,Security Roles,External System,External Account,Active,Modified By,Modified On',
  'Staff,S-1002,procore-sync,Integration Account,Integration,Integration - Project Sync; Reader,Procore,svc-proliance@procore.example,Yes,jdoe,2025-03-01T10:00:00Z',
  'Staff,S-1004,staylor,User Account,Internal,Administrator,,,Yes,,',
  'Contact,C-2001,northwind,Integration Account,External,,,,No,,',
].join('\r\n');
const ROLES = [
  'Role Name,Description,Security Permissions,Permissions,Modified By,Modified On',
  'Administrator,Everything,Yes,"Organization: Read, Create, Update, Delete; Projects: Read, Create, Update, Delete",,',
  'Integration - Project Sync,"Reads projects, updates costs",No,"Projects: Update, Read; Cost Management: Read, Update",jdoe,2025-02-01T09:00:00Z',
  'Reader,,No,Organization: Read,,',
].join('\r\n');

let dir: string;
let files: ExportFiles;
const write = (name: keyof ExportFiles, text: string) => writeFileSync(files[name], text);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'proliance-export-'));
  files = filesIn(dir);
  write('staff', `\ufeff${STAFF}\r\n`);
  write('contacts', CONTACTS);
  write('accounts', ACCOUNTS);
  write('securityRoles', ROLES);
});

describe('readExport', () => {
  it('reads the four registers by their column headers', async () => {
    const data = await readExport(files);
    expect(data.staff).toEqual([
      { id: 'S-1001', name: 'Morgan, Alex', email: 'alex@example.com', active: true, line: 2 },
      { id: 'S-1002', name: 'Integration Services', active: true, line: 3 },
      { id: 'S-1003', name: 'Pat Rivera', email: 'pat@example.com', active: false, line: 4 },
    ]);
    expect(data.contacts).toEqual([
      { id: 'C-2001', name: 'Northwind Sync', company: 'Northwind Traders', active: true, line: 2 },
    ]);
    expect(data.accounts[0]).toEqual({
      ownerType: 'staff',
      ownerId: 'S-1002',
      accountName: 'procore-sync',
      accountType: 'integration',
      securityCategory: 'Integration',
      roles: ['Integration - Project Sync', 'Reader'],
      externalSystem: 'Procore',
      externalAccount: 'svc-proliance@procore.example',
      active: true,
      modifiedBy: 'jdoe',
      modifiedOn: '2025-03-01T10:00:00Z',
      line: 2,
    });
    expect(data.securityRoles[1]).toEqual({
      name: 'Integration - Project Sync',
      description: 'Reads projects, updates costs',
      securityPermissions: false,
      permissions: { Projects: ['Read', 'Update'], 'Cost Management': ['Read', 'Update'] },
      modifiedBy: 'jdoe',
      modifiedOn: '2025-02-01T09:00:00Z',
      line: 3,
    });
  });

  it('finds columns in any order and case, and ignores columns it does not use', async () => {
    write('staff', 'active ,  STAFF   id,Department,name\nno,S-9,Finance,Robin\n');
    expect((await readExport(files)).staff).toEqual([{ id: 'S-9', name: 'Robin', active: false, line: 2 }]);
  });

  it('reads columns renamed by export.columns, and names them by their configured header', async () => {
    const defaults = await readExport(files);
    write('staff', STAFF.replace('Staff ID,Name,Email,Active', 'Employee No,Full Name,E-mail,Enabled'));
    write('accounts', ACCOUNTS.replace('Account Name', 'Login').replace('Security Roles', 'Roles'));
    write('securityRoles', ROLES.replace('Role Name', 'Role'));
    const columns = {
      staff: { id: 'Employee No', name: 'Full Name', email: 'E-mail', active: 'Enabled' },
      accounts: { accountName: 'Login', roles: 'Roles' },
      securityRoles: { name: 'Role' },
    };
    const renamed = await readExport(files, { columns });
    expect({ ...renamed, exportedAt: '' }).toEqual({ ...defaults, exportedAt: '' });
    // The defaults no longer match: the missing column is named by its default header.
    await expect(readExport(files)).rejects.toThrow(
      /staff\.csv: missing columns "Staff ID", "Name", "Active"/,
    );
    // A bad cell names the configured header.
    write('staff', 'Employee No,Full Name,Enabled\nS-1,A,Maybe\n');
    await expect(readExport(files, { columns })).rejects.toThrow(
      /staff\.csv line 2, column "Enabled": "Maybe" is not Yes or No/,
    );
    // Through ExportSource, as the provider reads it; columns not given keep their default header.
    write('staff', STAFF.replace('Staff ID', 'Employee No'));
    const source = new ExportSource(files, { columns: { ...columns, staff: { id: 'Employee No' } } });
    expect((await source.load()).staff.map((x) => x.id)).toEqual(['S-1001', 'S-1002', 'S-1003']);
  });

  it('names the file and the missing column', async () => {
    write('accounts', 'Owner Type,Owner ID,Account Name,Account Type,Security Roles,Active\n');
    await expect(readExport(files)).rejects.toThrow(
      new ExportError(
        `${files.accounts}: missing column "Security Category" (the Accounts register export needs Owner Type, Owner ID, Account Name, Account Type, Security Category, Security Roles, Active; found: Owner Type, Owner ID, Account Name, Account Type, Security Roles, Active)`,
      ),
    );
  });

  it('suggests the delimiter when a file is separated by semicolons', async () => {
    write('staff', 'Staff ID;Name;Active\nS-1;A;Yes\n');
    await expect(readExport(files)).rejects.toThrow(/set export.delimiter: ";"/);
    const data = await readExport({ ...files }, { delimiter: ';' }).catch((e: Error) => e);
    // The other files are comma-separated, so they now fail instead: one delimiter per export.
    expect(data).toBeInstanceOf(ExportError);
  });

  it('names the file, line and column of a bad value', async () => {
    write('staff', 'Staff ID,Name,Active\nS-1,A,Yes\nS-2,B,Maybe\n');
    await expect(readExport(files)).rejects.toThrow(
      `Proliance export: ${files.staff} line 3, column "Active": "Maybe" is not Yes or No`,
    );
    write('staff', 'Staff ID,Name,Active\n,A,Yes\n');
    await expect(readExport(files)).rejects.toThrow(`${files.staff} line 2, column "Staff ID": is empty`);
  });

  it('names the line of a CSV syntax error', async () => {
    write('contacts', 'Contact ID,Name,Active\nC-1,"Open,Yes\n');
    await expect(readExport(files)).rejects.toThrow(
      `Proliance export: contacts.csv line 2: a quoted field is never closed (a missing " at the end of the field?) (${files.contacts})`,
    );
  });

  it('refuses a row with more values than the header', async () => {
    write('staff', 'Staff ID,Name,Active\nS-1,Morgan, Alex,Yes\n');
    await expect(readExport(files)).rejects.toThrow(/line 2: 4 fields, but the header has 3/);
  });

  it('refuses duplicate IDs, owners and role names', () => {
    expect(() => parseStaff('Staff ID,Name,Active\nS-1,A,Yes\ns-1,B,Yes\n', 'staff.csv')).toThrow(
      'staff.csv line 3, column "Staff ID": staff ID s-1 also appears on line 2',
    );
    const header = 'Owner Type,Owner ID,Account Name,Account Type,Security Category,Security Roles,Active\n';
    expect(() =>
      parseAccounts(
        `${header}Staff,S-1,a,User Account,X,,Yes\nStaff,S-1,b,Integration,X,,Yes\n`,
        'accounts.csv',
      ),
    ).toThrow(/line 3, column "Owner ID": staff S-1 also has the account on line 2/);
    expect(() =>
      parseSecurityRoles(
        'Role Name,Security Permissions,Permissions\nReader,No,\nREADER,No,\n',
        'security-roles.csv',
      ),
    ).toThrow(/line 3, column "Role Name": role READER also appears on line 2/);
  });

  it('explains a missing file: which register to export, and where', async () => {
    write('securityRoles', '');
    await expect(readExport(files)).rejects.toThrow(/is empty: export the Security Roles register/);
    const missing = { ...files, contacts: path.join(dir, 'nope.csv') };
    await expect(readExport(missing)).rejects.toThrow(
      `Proliance export: ${missing.contacts} does not exist: export the Contacts register (Organization work area › Contacts) to it as CSV, or point export.contacts (or export.dir) at the export`,
    );
  });
});

describe('parsePermissions', () => {
  const fail = (m: string): never => {
    throw new Error(m);
  };

  it('reads "Area: Right, Right; Area: Right" in Proliance order, merging repeats', () => {
    expect(parsePermissions('Projects: update, READ; Organization: Read; projects: Delete;', fail)).toEqual({
      permissions: { Projects: ['Read', 'Update', 'Delete'], Organization: ['Read'] },
      securityPermissions: false,
    });
  });

  it('takes rights on Security Permissions as the flag, and drops areas without rights', () => {
    expect(parsePermissions('Security Permissions: Read; Projects:', fail)).toEqual({
      permissions: {},
      securityPermissions: true,
    });
  });

  it('refuses unknown rights and entries without a colon', () => {
    expect(() => parsePermissions('Projects: Read, Approve', fail)).toThrow(
      '"Approve" (area Projects) is not one of Read, Create, Update, Delete',
    );
    expect(() => parsePermissions('Projects Read', fail)).toThrow(/is not "Area: Right, Right"/);
  });
});

describe('export → remote objects', () => {
  it('gives security roles by name, every attribute verified', async () => {
    const objects = exportObjects(await readExport(files), 'SecurityLevel');
    expect(objects[1]).toEqual({
      id: 'Integration - Project Sync',
      naturalKey: 'Integration - Project Sync',
      attributes: {
        name: 'Integration - Project Sync',
        description: 'Reads projects, updates costs',
        permissions: { Projects: ['Read', 'Update'], 'Cost Management': ['Read', 'Update'] },
        securityPermissions: false,
      },
      modifiedBy: 'jdoe',
      modifiedAt: '2025-02-01T09:00:00Z',
    });
    expect(objects[2]!.attributes).toEqual({
      name: 'Reader',
      permissions: { Organization: ['Read'] },
      securityPermissions: false,
    });
  });

  it('gives accounts by owner; a user account is a conflict, an inactive one deactivated', async () => {
    const [sync, user, northwind] = exportObjects(await readExport(files), 'ServiceAccount');
    expect(sync).toEqual({
      id: 'staff:S-1002',
      naturalKey: 'staff:S-1002',
      attributes: {
        owner: { staff: 'S-1002' },
        accountName: 'procore-sync',
        securityCategory: 'Integration',
        roles: [{ ref: 'Integration - Project Sync' }, { ref: 'Reader' }],
        systemIntegration: { externalSystem: 'Procore', externalAccount: 'svc-proliance@procore.example' },
        active: true,
      },
      deactivated: false,
      outputs: { accountName: 'procore-sync' },
      modifiedBy: 'jdoe',
      modifiedAt: '2025-03-01T10:00:00Z',
    });
    expect(user!.conflict).toBe(
      'staff member S-1004 already has a user account (staylor), which can log on to Proliance; a staff member or contact has one account, and roster manages integration accounts only: use another staff member or contact',
    );
    expect(northwind).toMatchObject({
      id: 'contact:C-2001',
      attributes: { owner: { contact: 'C-2001' }, roles: [], active: false },
      deactivated: true,
    });
    expect(northwind!.attributes).not.toHaveProperty('systemIntegration');
  });
});

describe('ExportSource', () => {
  it('parses the files once, and again only when one changed', async () => {
    const source = new ExportSource(files);
    const first = await source.load();
    expect(await source.load()).toBe(first);
    expect(source.loads).toBe(1);
    write('staff', `${STAFF}\r\nS-1005,New Person,,Yes\r\n`);
    const second = await source.load();
    expect(source.loads).toBe(2);
    expect(second.staff.map((s) => s.id)).toContain('S-1005');
  });

  it('refuses an export older than maxAgeHours', async () => {
    const old = new Date('2025-01-01T00:00:00Z');
    utimesSync(files.accounts, old, old);
    const source = new ExportSource(files, { maxAgeHours: 24, now: () => new Date('2025-01-03T06:00:00Z') });
    await expect(source.load()).rejects.toThrow(
      'Proliance export: the export is 54 hours old (its oldest file was written 2025-01-01T00:00:00.000Z), older than export.maxAgeHours (24): export the Staff, Contacts, Accounts and Security Roles registers again',
    );
  });
});
