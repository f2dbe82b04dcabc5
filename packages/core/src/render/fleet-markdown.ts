import { formatAlignment } from '../fleet/alignment.js';
import type { TenantResult } from '../fleet/tenant-result.js';
import { Budget } from './budget.js';
import type { FleetDocument } from './fleet-json.js';
import { driftCause, fleetRow } from './fleet-text.js';
import { MARKDOWN_LIMIT } from './markdown.js';
import { plural } from './plural.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Whether a tenant is a red flag: failed, refused, blocked, drifted, or with an expired deviation. */
function redFlag(r: TenantResult): boolean {
  return r.exitCode === 1 || r.blockingFindings > 0 || r.drifted > 0 || r.deviations.some((d) => d.expired);
}

/**
 * One pull-request comment for N tenants: totals, red flags first (failed, blocked, drifted, expired
 * deviations), drift grouped by cause, then a folded `<details>` section per tenant, each section
 * cut off within its share of `limit` (GitHub's comment limit by default).
 */
export function renderFleetMarkdown(doc: FleetDocument, opts: { limit?: number } = {}): string {
  const limit = opts.limit ?? MARKDOWN_LIMIT;
  const t = doc.totals;
  const lines = [
    `### roster fleet ${doc.command}: ${doc.fleet}`,
    '',
    `**${plural(t.tenants, 'tenant')}** · ${plural(t.changes, 'change')} · ${plural(t.manualSteps, 'manual step')} · ${plural(t.blockingFindings, 'blocking finding')} · ${t.drifted} drifted · ${plural(t.deviations, 'deviation')}${t.expiredDeviations > 0 ? ` (${t.expiredDeviations} expired)` : ''} · ${t.failed} failed${t.notRun > 0 ? ` · ${t.notRun} not run` : ''}`,
  ];
  const flagged = doc.tenants.filter(redFlag);
  if (flagged.length > 0) {
    lines.push('', '#### Red flags', '');
    const section = new Budget(Math.floor(limit * 0.25));
    for (const r of flagged) section.push(`- **${r.tenant}**: ${flags(r).join('; ')}`);
    lines.push(...section.done('red flag', 'see the JSON output'));
  }
  if (doc.driftGroups.length > 0) {
    lines.push('', '#### Drift by cause', '', '| cause | tenants |', '| --- | --- |');
    const section = new Budget(Math.floor(limit * 0.2));
    for (const g of doc.driftGroups)
      section.push(`| ${cell(driftCause(g))} | ${g.tenants.length}: ${cell(someTenants(g.tenants))} |`);
    lines.push(...section.done('cause', 'see the JSON output'));
  }
  lines.push(
    '',
    '#### Tenants',
    '',
    '| tenant | result | changes | manual | blocking | drift | deviations | alignment |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |',
  );
  const table = new Budget(Math.floor(limit * 0.25));
  for (const r of doc.tenants) table.push(`| ${fleetRow(r).map(cell).join(' | ')} |`);
  lines.push(...table.done('tenant', 'see the JSON output'));
  lines.push('');
  const details = new Budget(Math.floor(limit * 0.25));
  for (const r of [...flagged, ...doc.tenants.filter((x) => !redFlag(x))]) details.push(...tenantDetails(r));
  lines.push(...details.done('tenant section', 'see the JSON output'));
  return `${lines.join('\n')}\n`;
}

/** A cause seen in hundreds of tenants stays one row: the first names, then how many more. */
const SHOWN_TENANTS = 20;
function someTenants(tenants: readonly string[]): string {
  const shown = tenants.slice(0, SHOWN_TENANTS).join(', ');
  return tenants.length > SHOWN_TENANTS ? `${shown}, … (${tenants.length - SHOWN_TENANTS} more)` : shown;
}

function flags(r: TenantResult): string[] {
  const out: string[] = [];
  if (r.exitCode === 1) out.push(`${r.outcome}${r.error ? `: ${r.error}` : ''}`);
  if (r.blockingFindings > 0) out.push(plural(r.blockingFindings, 'blocking finding'));
  if (r.drifted > 0) out.push(`${plural(r.drifted, 'resource')} drifted`);
  const expired = r.deviations.filter((d) => d.expired);
  if (expired.length > 0)
    out.push(`${plural(expired.length, 'expired deviation')} (${expired.map((d) => d.address).join(', ')})`);
  return out;
}

function tenantDetails(r: TenantResult): string[] {
  const body: string[] = [];
  for (const d of r.diagnostics.filter((x) => x.severity === 'error').slice(0, 10))
    body.push(`- error: ${cell(d.message)}${d.file ? ` (\`${d.file}:${d.line}\`)` : ''}`);
  for (const c of r.planned.slice(0, 20))
    body.push(`- ${c.action}${c.execution === 'manual' ? ' (manual step)' : ''}: \`${c.address}\``);
  if (r.planned.length > 20) body.push(`- …and ${r.planned.length - 20} more changes`);
  for (const d of r.drift.slice(0, 20)) body.push(`- drift: \`${d.address}\` ${d.attribute || 'deleted'}`);
  for (const d of r.deviations)
    body.push(
      `- deviation: ${d.exclude ? 'excludes' : 'changes'} \`${d.address}\`: ${cell(d.reason)} (${d.owner}, expires ${d.expires}${d.expired ? ', **expired**' : ''})`,
    );
  if (body.length === 0) body.push('- nothing to report');
  return [
    '<details>',
    `<summary>${r.tenant}: ${r.outcome}, ${plural(r.changes, 'change')}, alignment ${formatAlignment(r.alignment)}</summary>`,
    '',
    ...body,
    '',
    '</details>',
  ];
}
