import pc from 'picocolors';
import type { SodReport } from '../sod/report.js';
import { plural } from './plural.js';

/**
 * `roster sod` as text: the packs applied, then one line per conflict as a diagnostic prints
 * (`file:line:col: error[sod.finance/ap-vendor-payment]: …`), an excepted one as info with its
 * reason, then the count.
 */
export function renderSodText(report: SodReport, opts: { color: boolean }): string {
  const c = pc.createColors(opts.color);
  const lines: string[] = [];
  lines.push(
    report.packs.length === 0
      ? 'No SoD packs apply: no provider of the project ships one.'
      : `SoD packs: ${report.packs.map((p) => `${p.id} v${p.version} (${plural(p.rules, 'rule')}, ${p.severity})`).join(', ')}`,
  );
  lines.push('');
  for (const x of report.conflicts) {
    const where = x.file ? `${x.file}:${x.line}:${x.column}: ` : '';
    const severity = x.excepted ? 'info' : x.severity;
    const paint = severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.cyan;
    const tail = x.excepted
      ? ` (excepted at ${x.excepted.file}:${x.excepted.line}: ${x.excepted.reason})`
      : '';
    lines.push(`${where}${paint(`${severity}[sod.${x.pack}/${x.rule}]`)}: ${x.message}${tail}`);
  }
  const counted = report.conflicts.filter((x) => !x.excepted).length;
  const excepted = report.conflicts.length - counted;
  if (report.conflicts.length > 0) lines.push('');
  lines.push(
    counted === 0 && excepted === 0
      ? 'No conflicts.'
      : `${plural(counted, 'conflict')}${excepted > 0 ? ` (and ${excepted} excepted)` : ''}.`,
  );
  return lines.join('\n');
}
