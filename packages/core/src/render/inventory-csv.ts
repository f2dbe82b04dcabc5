import { stringify } from 'csv-stringify/sync';
import type { InventoryAccount, InventoryReport } from '../inventory/types.js';

/** Lists in one cell: `; ` between items (README "Inventory" documents the columns). */
const LIST = '; ';

/**
 * The columns of `roster inventory --format csv`, in order: the header row names each by its JSON
 * field (nested ones with a dot), so a spreadsheet and `--format json` read alike. `findings` and
 * `conflicts` list the rule ids that fire on the account (`inventory.stale`,
 * `sod.finance/ap-vendor-payment`).
 */
export const INVENTORY_CSV_COLUMNS = [
  'address',
  'name',
  'system',
  'provider',
  'kind',
  'role',
  'status',
  'id',
  'naturalKey',
  'owner',
  'backupOwner',
  'purpose',
  'roles',
  'permissions',
  'credentials.issuedAt',
  'credentials.ageDays',
  'credentials.rotateAfterDays',
  'credentials.rotationDue',
  'attestation.at',
  'attestation.by',
  'attestation.ageDays',
  'drift',
  'lastUsed.at',
  'lastUsed.source',
  'lastUsed.field',
  'findings',
  'conflicts',
] as const;

type Cell = string | number | null;

/**
 * `roster inventory --format csv`: a header row, then one row per account (RFC 4180 quoting by
 * csv-stringify). Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`…) are
 * prefixed with `'`: names and labels come from the systems and from anyone who can add an
 * account there (OWASP "CSV injection"). Empty cells are unknown or none.
 */
export function renderInventoryCsv(report: InventoryReport): string {
  const findings = rulesBy(report.findings.map((f) => [f.address, f.rule]));
  const conflicts = rulesBy(report.conflicts.map((c) => [c.address, `sod.${c.pack}/${c.rule}`]));
  const rows = report.accounts.map((a) => row(a, findings.get(a.address), conflicts.get(a.address)));
  return stringify(rows, {
    header: true,
    columns: [...INVENTORY_CSV_COLUMNS],
    escape_formulas: true,
    record_delimiter: 'unix',
  });
}

function row(a: InventoryAccount, findings?: string[], conflicts?: string[]): Record<string, Cell> {
  return {
    address: a.address,
    name: a.name,
    system: a.system,
    provider: a.provider,
    kind: a.kind,
    role: a.role,
    status: a.status,
    id: a.id,
    naturalKey: a.naturalKey,
    owner: a.owner,
    backupOwner: a.backupOwner,
    purpose: a.purpose,
    roles: a.roles.join(LIST),
    permissions: a.permissions.map((p) => p.name).join(LIST),
    'credentials.issuedAt': a.credentials.issuedAt,
    'credentials.ageDays': a.credentials.ageDays,
    'credentials.rotateAfterDays': a.credentials.rotateAfterDays,
    'credentials.rotationDue': a.credentials.rotationDue,
    'attestation.at': a.attestation?.at ?? null,
    'attestation.by': a.attestation?.by ?? null,
    'attestation.ageDays': a.attestation?.ageDays ?? null,
    drift: a.drift,
    'lastUsed.at': a.lastUsed.at,
    'lastUsed.source': a.lastUsed.source,
    'lastUsed.field': a.lastUsed.field,
    findings: (findings ?? []).join(LIST),
    conflicts: (conflicts ?? []).join(LIST),
  };
}

function rulesBy(pairs: ReadonlyArray<[string, string]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [address, rule] of pairs) {
    const list = out.get(address) ?? [];
    if (!list.includes(rule)) list.push(rule);
    out.set(address, list);
  }
  return out;
}
