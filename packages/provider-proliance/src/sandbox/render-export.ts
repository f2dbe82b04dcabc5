import { writeCsv } from '../client/csv.js';
import {
  ACCOUNT_TYPE_LABELS,
  OWNER_TYPE_LABELS,
  REGISTERS,
  type RegisterName,
  ROLE_SEPARATOR,
} from '../client/format.js';
import { formatPermissions } from '../kinds/common.js';
import type { Registers } from './records.js';

const yesNo = (on: boolean) => (on ? 'Yes' : 'No');

/** The header row of a register, every column the format defines, in its order. */
function header(register: RegisterName): string[] {
  return Object.values(REGISTERS[register].columns as Record<string, { header: string }>).map(
    (c) => c.header,
  );
}

/**
 * The registers as their CSV export: UTF-8 with a byte order mark and CRLF line breaks, as
 * spreadsheet-style exports write them, so the sandbox's files exercise the same reading path as a
 * real export.
 */
export function renderExport(reg: Registers): Record<RegisterName, string> {
  const roleName = new Map(reg.roles.map((r) => [r.key, r.name]));
  const files: Record<RegisterName, string[][]> = {
    staff: [header('staff'), ...reg.staff.map((s) => [s.id, s.name, s.email ?? '', yesNo(s.active)])],
    contacts: [
      header('contacts'),
      ...reg.contacts.map((c) => [c.id, c.name, c.company ?? '', c.email ?? '', yesNo(c.active)]),
    ],
    accounts: [
      header('accounts'),
      ...reg.accounts.map((a) => [
        OWNER_TYPE_LABELS[a.ownerType],
        a.ownerId,
        a.accountName,
        ACCOUNT_TYPE_LABELS[a.accountType],
        a.securityCategory,
        a.roles.map((k) => roleName.get(k) ?? k).join(`${ROLE_SEPARATOR} `),
        a.externalSystem ?? '',
        a.externalAccount ?? '',
        yesNo(a.active),
        a.modifiedBy,
        a.modifiedAt,
      ]),
    ],
    securityRoles: [
      header('securityRoles'),
      ...reg.roles.map((r) => [
        r.name,
        r.description ?? '',
        yesNo(r.securityPermissions),
        formatPermissions(r.permissions),
        r.modifiedBy,
        r.modifiedAt,
      ]),
    ],
  };
  const out = {} as Record<RegisterName, string>;
  for (const [name, rows] of Object.entries(files) as Array<[RegisterName, string[][]]>) {
    out[name] = `\ufeff${writeCsv(rows)}`;
  }
  return out;
}
