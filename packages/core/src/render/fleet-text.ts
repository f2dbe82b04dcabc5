import { formatAlignment } from '../fleet/alignment.js';
import type { DriftGroup } from '../fleet/drift-groups.js';
import type { TenantResult } from '../fleet/tenant-result.js';
import type { FleetDocument } from './fleet-json.js';
import { plural } from './plural.js';
import { inline } from './values.js';

const HEADERS = ['TENANT', 'RESULT', 'CHANGES', 'MANUAL', 'BLOCKING', 'DRIFT', 'DEVIATIONS', 'ALIGNMENT'];

/** The cells of one tenant's row. */
export function fleetRow(r: TenantResult): string[] {
  const expired = r.deviations.filter((d) => d.expired).length;
  return [
    r.tenant,
    r.outcome,
    String(r.changes),
    String(r.manualSteps),
    String(r.blockingFindings),
    String(r.drifted),
    `${r.deviations.length}${expired > 0 ? ` (${expired} expired)` : ''}`,
    r.command === 'validate' ? '-' : formatAlignment(r.alignment),
  ];
}

/** One drift group as a line: `ServiceAccount backup /active: true → false`. */
export function driftCause(g: DriftGroup): string {
  const what = `${g.kind} ${g.resource}`;
  return g.status === 'deleted'
    ? `${what}: deleted outside roster`
    : `${what} ${g.attribute.replace(/^\//, '')}: ${inline(g.expected)} → ${inline(g.actual)}`;
}

/**
 * A fleet run as text: one table row per tenant (result, changes, manual steps, blocking findings,
 * drifted resources, deviations, alignment), drift grouped by cause, deviations, and the tenants
 * not run.
 */
export function renderFleetText(doc: FleetDocument): string {
  const rows = [HEADERS, ...doc.tenants.map(fleetRow)];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const t = doc.totals;
  lines.push(
    '',
    `${plural(t.tenants, 'tenant')}: ${plural(t.changes, 'change')}, ${plural(t.manualSteps, 'manual step')}, ${plural(t.blockingFindings, 'blocking finding')}, ${t.drifted} drifted, ${plural(t.deviations, 'deviation')}${t.expiredDeviations > 0 ? ` (${t.expiredDeviations} expired)` : ''}, ${t.failed} failed${t.notRun > 0 ? `, ${t.notRun} not run` : ''}.`,
  );
  if (doc.driftGroups.length > 0) {
    lines.push('', 'Drift by cause:');
    for (const g of doc.driftGroups)
      lines.push(`  ${driftCause(g)}  (${plural(g.tenants.length, 'tenant')}: ${g.tenants.join(', ')})`);
  }
  const deviations = doc.tenants.flatMap((r) => r.deviations.map((d) => ({ tenant: r.tenant, ...d })));
  if (deviations.length > 0) {
    lines.push('', 'Deviations:');
    for (const d of deviations)
      lines.push(
        `  ${d.tenant}: ${d.exclude ? 'excludes' : 'changes'} ${d.address} — ${d.reason} (owner ${d.owner}, expires ${d.expires}${d.expired ? ', EXPIRED' : ''}; ${d.file}:${d.line})`,
      );
  }
  if (doc.notRun.length > 0) {
    lines.push('', 'Not run:');
    for (const n of doc.notRun) lines.push(`  ${n.tenant}: ${NOT_RUN[n.reason]}`);
  }
  return lines.join('\n');
}

const NOT_RUN: Record<FleetDocument['notRun'][number]['reason'], string> = {
  'canary-failed': 'a canary tenant failed or left a blocking finding',
  interrupted: 'the run was interrupted before it started',
  'already-applied': 'already applied by the run this one resumes',
};
