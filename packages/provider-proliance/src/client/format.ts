import type { OwnerType, Right } from '../kinds/common.js';

/**
 * The registers roster reads, each exported to one CSV file. Columns are found by their header
 * (case and repeated spaces ignored, any order); other columns are ignored.
 */
export const REGISTERS = {
  staff: {
    file: 'staff.csv',
    title: 'Staff register',
    uiPath: 'Organization work area › Staff',
    columns: {
      id: { header: 'Staff ID', required: true },
      name: { header: 'Name', required: true },
      email: { header: 'Email', required: false },
      active: { header: 'Active', required: true },
    },
  },
  contacts: {
    file: 'contacts.csv',
    title: 'Contacts register',
    uiPath: 'Organization work area › Contacts',
    columns: {
      id: { header: 'Contact ID', required: true },
      name: { header: 'Name', required: true },
      company: { header: 'Company', required: false },
      email: { header: 'Email', required: false },
      active: { header: 'Active', required: true },
    },
  },
  accounts: {
    file: 'accounts.csv',
    title: 'Accounts register',
    uiPath: 'Organization work area › Accounts',
    columns: {
      ownerType: { header: 'Owner Type', required: true },
      ownerId: { header: 'Owner ID', required: true },
      accountName: { header: 'Account Name', required: true },
      accountType: { header: 'Account Type', required: true },
      securityCategory: { header: 'Security Category', required: true },
      roles: { header: 'Security Roles', required: true },
      externalSystem: { header: 'External System', required: false },
      externalAccount: { header: 'External Account', required: false },
      active: { header: 'Active', required: true },
      modifiedBy: { header: 'Modified By', required: false },
      modifiedOn: { header: 'Modified On', required: false },
    },
  },
  securityRoles: {
    file: 'security-roles.csv',
    title: 'Security Roles register',
    uiPath: 'Administration work area › Security Roles',
    columns: {
      name: { header: 'Role Name', required: true },
      description: { header: 'Description', required: false },
      securityPermissions: { header: 'Security Permissions', required: true },
      permissions: { header: 'Permissions', required: true },
      modifiedBy: { header: 'Modified By', required: false },
      modifiedOn: { header: 'Modified On', required: false },
    },
  },
} as const;

export type RegisterName = keyof typeof REGISTERS;
export const REGISTER_NAMES = Object.keys(REGISTERS) as RegisterName[];

/** The column keys of one register (`id`, `name`, … for staff). */
export type ColumnKey<R extends RegisterName> = keyof (typeof REGISTERS)[R]['columns'] & string;

/**
 * The header roster looks for, per register and column key. Proliance publishes no export format,
 * so a Provider may rename any column (`export.columns`); those it does not name keep the headers
 * in `REGISTERS`.
 */
export type ColumnHeaders = { [R in RegisterName]: Record<ColumnKey<R>, string> };

/** Headers given in a Provider document: any subset, by register and column key. */
export type ColumnOverrides = { [R in RegisterName]?: Partial<Record<ColumnKey<R>, string>> };

/** The column keys of a register. */
export function columnKeys<R extends RegisterName>(register: R): Array<ColumnKey<R>> {
  return Object.keys(REGISTERS[register].columns) as Array<ColumnKey<R>>;
}

/** Today's headers, overridden by those the Provider gives. */
export function columnHeaders(overrides: ColumnOverrides = {}): ColumnHeaders {
  const out = {} as Record<RegisterName, Record<string, string>>;
  for (const r of REGISTER_NAMES) {
    const cols = REGISTERS[r].columns as Record<string, { header: string }>;
    const given = (overrides[r] ?? {}) as Record<string, string | undefined>;
    out[r] = Object.fromEntries(Object.entries(cols).map(([k, c]) => [k, given[k] ?? c.header]));
  }
  return out as ColumnHeaders;
}

/** The four export files, as absolute paths. */
export type ExportFiles = Record<RegisterName, string>;

/** A row of the Staff register export. `line` is where it starts in the file. */
export interface StaffRow {
  id: string;
  name: string;
  email?: string;
  active: boolean;
  line: number;
}

/** A row of the Contacts register export. */
export interface ContactRow {
  id: string;
  name: string;
  company?: string;
  email?: string;
  active: boolean;
  line: number;
}

/** Integration accounts are made for integrations; user accounts are people's and can log on. */
export type AccountType = 'integration' | 'user';

/** A row of the Accounts register export: the account on one staff member's or contact's document. */
export interface AccountRow {
  ownerType: OwnerType;
  ownerId: string;
  accountName: string;
  accountType: AccountType;
  securityCategory: string;
  /** Security role names, in the order exported. */
  roles: string[];
  externalSystem?: string;
  externalAccount?: string;
  active: boolean;
  modifiedBy?: string;
  modifiedOn?: string;
  line: number;
}

/** A row of the Security Roles register export. */
export interface RoleRow {
  name: string;
  description?: string;
  securityPermissions: boolean;
  /** Area → rights; areas without rights are left out. */
  permissions: Record<string, Right[]>;
  modifiedBy?: string;
  modifiedOn?: string;
  line: number;
}

/** The four registers as read from their export files. */
export interface ParsedExport {
  files: ExportFiles;
  staff: StaffRow[];
  contacts: ContactRow[];
  accounts: AccountRow[];
  securityRoles: RoleRow[];
  /** When the oldest of the files was written (ISO 8601). */
  exportedAt: string;
}

/** How the export spells account types. */
export const ACCOUNT_TYPE_LABELS: Record<AccountType, string> = {
  integration: 'Integration Account',
  user: 'User Account',
};

/** How the export spells owner types. */
export const OWNER_TYPE_LABELS: Record<OwnerType, string> = { staff: 'Staff', contact: 'Contact' };

/** Separator of the Security Roles cell of the Accounts export. */
export const ROLE_SEPARATOR = ';';
