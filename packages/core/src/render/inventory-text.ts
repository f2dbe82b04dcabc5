import pc from 'picocolors';
import type { InventoryAccount, InventoryReport } from '../inventory/types.js';
import { plural } from './plural.js';

const COLUMNS = ['ADDRESS', 'STATUS', 'OWNER', 'ROLES', 'PERMISSIONS', 'CREDENTIALS', 'LAST USED', 'DRIFT'];

/**
 * `roster inventory` as text: a table of every account (one row each), why each unknown last use
 * is unknown, the findings and SoD conflicts as diagnostics print (`file:line:col:
 * warning[inventory.stale]: …`; an excepted one as info with its reason), then the counts.
 */
export function renderInventoryText(report: InventoryReport, opts: { color: boolean }): string {
  const c = pc.createColors(opts.color);
  const today = report.generatedAt.slice(0, 10);
  const rows = report.accounts.map((a) => row(a, today));
  const widths = COLUMNS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines: string[] = [
    `Inventory at ${report.generatedAt}: ${plural(report.accounts.length, 'account')}; stale after ${plural(report.staleAfterDays, 'day')} without use.`,
    '',
  ];
  if (rows.length > 0) {
    lines.push(c.bold(line(COLUMNS)));
    for (const r of rows) lines.push(line(r));
    lines.push('');
  }
  const unknown = report.accounts.filter((a) => a.lastUsed.at === null);
  if (unknown.length > 0) {
    lines.push('Last use unknown (not stale, but not known to be in use):');
    for (const a of unknown) lines.push(`  ${a.address}: ${a.lastUsed.unknownReason ?? 'no record'}`);
    lines.push('');
  }
  for (const f of report.findings) lines.push(diagnosticLine(c, { ...f, code: f.rule }));
  for (const x of report.conflicts) lines.push(diagnosticLine(c, { ...x, code: `sod.${x.pack}/${x.rule}` }));
  if (report.findings.length + report.conflicts.length > 0) lines.push('');
  lines.push(summary(report));
  return lines.join('\n');
}

function row(a: InventoryAccount, today: string): string[] {
  const credentials =
    a.credentials.ageDays === null
      ? '-'
      : `${a.credentials.ageDays}d${a.credentials.rotationDue ? `, due ${a.credentials.rotationDue}${a.credentials.rotationDue < today ? ' (overdue)' : ''}` : ''}`;
  const used =
    a.lastUsed.at === null
      ? 'unknown'
      : `${a.lastUsed.at.slice(0, 10)} (${a.lastUsed.source === 'system' ? (a.lastUsed.field ?? 'system') : 'roster test'})`;
  return [
    a.address,
    a.status,
    a.owner ?? '-',
    roleCell(a.roles),
    String(a.permissions.length),
    credentials,
    used,
    a.drift,
  ];
}

/** At most three roles in the table (an account with many would widen every row); JSON and CSV list all. */
function roleCell(roles: readonly string[]): string {
  if (roles.length === 0) return '-';
  const shown = roles.slice(0, 3).join(', ');
  return roles.length > 3 ? `${shown} +${roles.length - 3} more` : shown;
}

function diagnosticLine(
  c: ReturnType<typeof pc.createColors>,
  x: {
    code: string;
    severity: string;
    message: string;
    file?: string;
    line?: number;
    column?: number;
    excepted?: { reason: string; file: string; line: number };
  },
): string {
  const where = x.file ? `${x.file}:${x.line}:${x.column}: ` : '';
  const severity = x.excepted ? 'info' : x.severity;
  const paint = severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.cyan;
  const tail = x.excepted ? ` (excepted at ${x.excepted.file}:${x.excepted.line}: ${x.excepted.reason})` : '';
  return `${where}${paint(`${severity}[${x.code}]`)}: ${x.message}${tail}`;
}

function summary(report: InventoryReport): string {
  const count = (status: InventoryAccount['status']) =>
    report.accounts.filter((a) => a.status === status).length;
  const findings = report.findings.filter((f) => !f.excepted).length;
  const conflicts = report.conflicts.filter((x) => !x.excepted).length;
  const excepted = report.findings.length - findings + report.conflicts.length - conflicts;
  return `${plural(report.accounts.length, 'account')}: ${count('managed')} managed, ${count('unmanaged')} unmanaged, ${count('deactivated')} deactivated. ${plural(findings, 'finding')}, ${plural(conflicts, 'conflict')}${excepted > 0 ? ` (and ${excepted} excepted)` : ''}.`;
}
