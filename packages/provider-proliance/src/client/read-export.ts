import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '@roster/core';
import { AREA_PATTERN, orderRights, RIGHTS, type Right } from '../kinds/common.js';
import { CsvSyntaxError, decodeText, parseCsv } from './csv.js';
import {
  type AccountRow,
  type AccountType,
  type ColumnHeaders,
  type ColumnOverrides,
  type ContactRow,
  columnHeaders,
  type ExportFiles,
  type ParsedExport,
  REGISTER_NAMES,
  REGISTERS,
  type RegisterName,
  ROLE_SEPARATOR,
  type RoleRow,
  type StaffRow,
} from './format.js';

/** A problem with an export file: names the file, and the line and column where there is one. */
export class ExportError extends UserError {
  constructor(message: string) {
    super(`Proliance export: ${message}`);
    this.name = 'ExportError';
  }
}

type Columns<R extends RegisterName> = keyof (typeof REGISTERS)[R]['columns'];

const normalizeHeader = (h: string) => h.trim().replace(/\s+/g, ' ').toLowerCase();

/** How one export file is read: its field separator and the headers of its columns. */
export interface ParseOptions {
  delimiter?: string;
  /** Headers by column key (`export.columns`); the others keep their default headers. */
  columns?: ColumnOverrides;
}

/** One register's rows as `column key → cell`, with the line each starts on. */
function table<R extends RegisterName>(
  register: R,
  text: string,
  file: string,
  delimiter: string,
  headers: ColumnHeaders,
): Array<{ line: number; cell: (key: Columns<R>) => string }> {
  const spec = REGISTERS[register];
  const shown = path.basename(file);
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text, { delimiter, file: shown });
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new ExportError(`${err.message} (${file})`);
    throw err;
  }
  const header = records.shift();
  const names = headers[register] as Record<string, string>;
  const columns = Object.fromEntries(
    Object.entries(spec.columns as Record<string, { required: boolean }>).map(([k, c]) => [
      k,
      { header: names[k]!, required: c.required },
    ]),
  );
  const expected = Object.values(columns).map((c) => c.header);
  if (!header) {
    throw new ExportError(
      `${file} is empty: export the ${spec.title} (${spec.uiPath}) with the columns ${expected.join(', ')}`,
    );
  }
  const index = new Map<string, number>();
  header.fields.forEach((h, i) => {
    const key = normalizeHeader(h);
    if (key === '') return;
    if (index.has(key))
      throw new ExportError(`${file} line ${header.line}: the column "${h.trim()}" appears twice`);
    index.set(key, i);
  });
  const positions = new Map<string, number | undefined>();
  const missing: string[] = [];
  for (const [key, col] of Object.entries(columns)) {
    const at = index.get(normalizeHeader(col.header));
    if (at === undefined && col.required) missing.push(col.header);
    positions.set(key, at);
  }
  if (missing.length > 0) {
    const found = header.fields.map((h) => h.trim()).filter(Boolean);
    throw new ExportError(
      `${file}: missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} ` +
        `(the ${spec.title} export needs ${Object.values(columns)
          .filter((c) => c.required)
          .map((c) => c.header)
          .join(', ')}; found: ${found.length > 0 ? found.join(', ') : 'none'}${
          delimiter === ',' && header.fields.length === 1 && header.fields[0]!.includes(';')
            ? '; the file looks separated by ";": set export.delimiter: ";"'
            : ''
        })`,
    );
  }
  return records.map((r) => {
    if (
      r.fields.length > header.fields.length &&
      r.fields.slice(header.fields.length).some((f) => f.trim())
    ) {
      throw new ExportError(
        `${file} line ${r.line}: ${r.fields.length} fields, but the header has ${header.fields.length} (a delimiter inside an unquoted value?)`,
      );
    }
    return {
      line: r.line,
      cell: (key: Columns<R>) => {
        const at = positions.get(key as string);
        return at === undefined ? '' : (r.fields[at] ?? '').trim();
      },
    };
  });
}

/** Reads cells of one row, failing with the file, line and column. */
class RowReader<R extends RegisterName> {
  constructor(
    readonly register: R,
    readonly file: string,
    readonly line: number,
    readonly cell: (key: Columns<R>) => string,
    readonly headers: ColumnHeaders,
  ) {}

  header(key: Columns<R>): string {
    return (this.headers[this.register] as Record<string, string>)[key as string]!;
  }

  fail(key: Columns<R>, message: string): never {
    throw new ExportError(`${this.file} line ${this.line}, column "${this.header(key)}": ${message}`);
  }

  required(key: Columns<R>): string {
    const v = this.cell(key);
    if (v === '') this.fail(key, 'is empty');
    return v;
  }

  optional(key: Columns<R>): string | undefined {
    const v = this.cell(key);
    return v === '' ? undefined : v;
  }

  /** Fails when `value` (regardless of case) was on an earlier row; `seen` holds the rows so far by value. */
  once(key: Columns<R>, seen: Map<string, number>, value: string, clash: (first: number) => string): void {
    const first = seen.get(value.toLowerCase());
    if (first !== undefined) this.fail(key, clash(first));
    seen.set(value.toLowerCase(), this.line);
  }

  flag(key: Columns<R>): boolean {
    const v = this.required(key).toLowerCase();
    if (['yes', 'y', 'true', '1', 'active', 'x'].includes(v)) return true;
    if (['no', 'n', 'false', '0', 'inactive'].includes(v)) return false;
    return this.fail(key, `"${this.cell(key)}" is not Yes or No`);
  }
}

function rows<R extends RegisterName>(
  register: R,
  text: string,
  file: string,
  opts: string | ParseOptions,
): Array<RowReader<R>> {
  const o: ParseOptions = typeof opts === 'string' ? { delimiter: opts } : opts;
  const headers = columnHeaders(o.columns);
  return table(register, text, file, o.delimiter ?? ',', headers).map(
    (r) => new RowReader(register, file, r.line, r.cell, headers),
  );
}

/** Parse a role's Permissions cell: `Organization: Read; Projects: Read, Create, Update`. */
export function parsePermissions(
  cell: string,
  fail: (message: string) => never,
): { permissions: Record<string, Right[]>; securityPermissions: boolean } {
  const permissions: Record<string, Right[]> = {};
  let securityPermissions = false;
  const areaPattern = new RegExp(AREA_PATTERN);
  for (const part of cell.split(';')) {
    const entry = part.trim();
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    if (colon < 0) fail(`"${entry}" is not "Area: Right, Right" (e.g. "Projects: Read, Update")`);
    const area = entry.slice(0, colon).trim().replace(/\s+/g, ' ');
    if (!areaPattern.test(area)) fail(`"${area}" is not a permission area name`);
    const rights: Right[] = [];
    for (const r of entry.slice(colon + 1).split(',')) {
      const word = r.trim();
      if (word === '') continue;
      const right = RIGHTS.find((x) => x.toLowerCase() === word.toLowerCase());
      if (!right) fail(`"${word}" (area ${area}) is not one of ${RIGHTS.join(', ')}`);
      rights.push(right);
    }
    if (area.toLowerCase() === 'security permissions') {
      // Any right on Security Permissions lets the holder change roles: it is the flag.
      if (rights.length > 0) securityPermissions = true;
      continue;
    }
    const key = Object.keys(permissions).find((k) => k.toLowerCase() === area.toLowerCase()) ?? area;
    const merged = orderRights([...(permissions[key] ?? []), ...rights]);
    if (merged.length > 0) permissions[key] = merged;
  }
  return { permissions, securityPermissions };
}

/** Parse the Staff register export. */
export function parseStaff(text: string, file: string, opts: string | ParseOptions = ','): StaffRow[] {
  const seen = new Map<string, number>();
  return rows('staff', text, file, opts).map((r) => {
    const id = r.required('id');
    r.once('id', seen, id, (first) => `staff ID ${id} also appears on line ${first}`);
    const email = r.optional('email');
    return {
      id,
      name: r.required('name'),
      ...(email ? { email } : {}),
      active: r.flag('active'),
      line: r.line,
    };
  });
}

/** Parse the Contacts register export. */
export function parseContacts(text: string, file: string, opts: string | ParseOptions = ','): ContactRow[] {
  const seen = new Map<string, number>();
  return rows('contacts', text, file, opts).map((r) => {
    const id = r.required('id');
    r.once('id', seen, id, (first) => `contact ID ${id} also appears on line ${first}`);
    const company = r.optional('company');
    const email = r.optional('email');
    return {
      id,
      name: r.required('name'),
      ...(company ? { company } : {}),
      ...(email ? { email } : {}),
      active: r.flag('active'),
      line: r.line,
    };
  });
}

function accountType(r: RowReader<'accounts'>): AccountType {
  const v = r.required('accountType').toLowerCase().replace(/\s+/g, ' ');
  if (v === 'integration account' || v === 'integration') return 'integration';
  if (v === 'user account' || v === 'user') return 'user';
  return r.fail('accountType', `"${r.cell('accountType')}" is not Integration Account or User Account`);
}

/** Parse the Accounts register export. One account per staff member or contact. */
export function parseAccounts(text: string, file: string, opts: string | ParseOptions = ','): AccountRow[] {
  const seen = new Map<string, number>();
  return rows('accounts', text, file, opts).map((r) => {
    const t = r.required('ownerType').toLowerCase();
    const ownerType = t === 'staff' ? 'staff' : t === 'contact' || t === 'contacts' ? 'contact' : undefined;
    if (!ownerType) return r.fail('ownerType', `"${r.cell('ownerType')}" is not Staff or Contact`);
    const ownerId = r.required('ownerId');
    r.once(
      'ownerId',
      seen,
      `${ownerType}:${ownerId}`,
      (first) =>
        `${ownerType} ${ownerId} also has the account on line ${first}; Proliance keeps one account per document`,
    );
    const roles = r
      .cell('roles')
      .split(ROLE_SEPARATOR)
      .map((x) => x.trim())
      .filter(Boolean);
    const opt = {
      externalSystem: r.optional('externalSystem'),
      externalAccount: r.optional('externalAccount'),
      modifiedBy: r.optional('modifiedBy'),
      modifiedOn: r.optional('modifiedOn'),
    };
    return {
      ownerType,
      ownerId,
      accountName: r.required('accountName'),
      accountType: accountType(r),
      // Empty when none is selected (the account then shows that difference in the plan).
      securityCategory: r.cell('securityCategory'),
      roles,
      ...Object.fromEntries(Object.entries(opt).filter(([, v]) => v !== undefined)),
      active: r.flag('active'),
      line: r.line,
    };
  });
}

/** Parse the Security Roles register export. Role names are unique regardless of case. */
export function parseSecurityRoles(text: string, file: string, opts: string | ParseOptions = ','): RoleRow[] {
  const seen = new Map<string, number>();
  return rows('securityRoles', text, file, opts).map((r) => {
    const name = r.required('name');
    r.once('name', seen, name, (first) => `role ${name} also appears on line ${first}`);
    const parsed = parsePermissions(r.cell('permissions'), (m) => r.fail('permissions', m));
    const description = r.optional('description');
    const modifiedBy = r.optional('modifiedBy');
    const modifiedOn = r.optional('modifiedOn');
    return {
      name,
      ...(description ? { description } : {}),
      securityPermissions: r.flag('securityPermissions') || parsed.securityPermissions,
      permissions: parsed.permissions,
      ...(modifiedBy ? { modifiedBy } : {}),
      ...(modifiedOn ? { modifiedOn } : {}),
      line: r.line,
    };
  });
}

/** The export files in a directory, by their standard names. */
export function filesIn(dir: string): ExportFiles {
  const out = {} as ExportFiles;
  for (const name of REGISTER_NAMES) out[name] = path.join(dir, REGISTERS[name].file);
  return out;
}

export interface ReadExportOptions {
  delimiter?: string;
  /** Headers by register and column key (`export.columns`). */
  columns?: ColumnOverrides;
}

async function readFileText(
  register: RegisterName,
  file: string,
): Promise<{ text: string; mtimeMs: number }> {
  const spec = REGISTERS[register];
  try {
    const [bytes, st] = await Promise.all([fs.readFile(file), fs.stat(file)]);
    return { text: decodeText(bytes), mtimeMs: st.mtimeMs };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ExportError(
      code === 'ENOENT'
        ? `${file} does not exist: export the ${spec.title} (${spec.uiPath}) to it as CSV, or point export.${
            register
          } (or export.dir) at the export`
        : `cannot read ${file} (${code ?? (err as Error).message})`,
    );
  }
}

/** Read and parse the four export files. Errors are `ExportError`s naming the file and line. */
export async function readExport(files: ExportFiles, opts: ReadExportOptions = {}): Promise<ParsedExport> {
  const parse: ParseOptions = {
    delimiter: opts.delimiter ?? ',',
    ...(opts.columns ? { columns: opts.columns } : {}),
  };
  const [staff, contacts, accounts, securityRoles] = await Promise.all(
    REGISTER_NAMES.map((r) => readFileText(r, files[r])),
  );
  const oldest = Math.min(staff!.mtimeMs, contacts!.mtimeMs, accounts!.mtimeMs, securityRoles!.mtimeMs);
  const parsed: ParsedExport = {
    files,
    staff: parseStaff(staff!.text, files.staff, parse),
    contacts: parseContacts(contacts!.text, files.contacts, parse),
    accounts: parseAccounts(accounts!.text, files.accounts, parse),
    securityRoles: parseSecurityRoles(securityRoles!.text, files.securityRoles, parse),
    exportedAt: new Date(oldest).toISOString(),
  };
  return parsed;
}
