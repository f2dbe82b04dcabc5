import pc from 'picocolors';
import type { Plan } from '../plan/types.js';
import { escapeHtml } from './markdown.js';
import type { TextOptions } from './text.js';
import { inline } from './values.js';

type Colors = ReturnType<typeof pc.createColors>;

export function renderDriftSection(plan: Plan, c: Colors): string {
  if (plan.drift.length === 0) return '';
  const lines = [c.bold('Objects changed outside roster since the last apply:'), ''];
  for (const d of plan.drift) {
    if (d.status === 'deleted') {
      lines.push(c.red(`  # ${d.address} was deleted outside roster`));
      continue;
    }
    const who = d.modifiedBy ? ` by ${d.modifiedBy}` : '';
    const when = d.modifiedAt ? ` at ${d.modifiedAt}` : '';
    lines.push(c.yellow(`  # ${d.address} was changed outside roster${who}${when}`));
    for (const a of d.attributes) {
      lines.push(`      ~ ${a.path.slice(1)}: ${inline(a.expected)} → ${inline(a.actual)}`);
    }
  }
  return lines.join('\n');
}

/** The drift report of `roster drift` in text. */
export function renderDriftText(plan: Plan, opts: TextOptions): string {
  const c = pc.createColors(opts.color);
  const section = renderDriftSection(plan, c);
  const attested = renderAttestations(plan, c);
  if (!section) return `${c.green('No drift.')} The systems match the state.\n${attested}`;
  const n = plan.drift.length;
  return `${section}\n\n${n} resource${n === 1 ? '' : 's'} drifted.\n${attested}`;
}

/** Attributes drift cannot check, and who confirmed them until when. */
export function renderAttestations(plan: Plan, c: Colors): string {
  if (plan.attestations.length === 0) return '';
  const lines = ['', 'Attested, not verified (the systems do not report these; they rest on confirmations):'];
  for (const a of plan.attestations) {
    const until = a.expired
      ? c.red(`expired ${a.expiresAt.slice(0, 10)}`)
      : `until ${a.expiresAt.slice(0, 10)}`;
    lines.push(`  ${a.address} ${a.attribute}: confirmed by ${a.by} on ${a.at.slice(0, 10)}, ${until}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderDriftBody(plan: Plan): string {
  const lines = ['### Changed outside roster', ''];
  for (const d of plan.drift) {
    if (d.status === 'deleted') {
      lines.push(`- \`${d.address}\` was **deleted** outside roster`);
      continue;
    }
    const who = d.modifiedBy ? ` by ${d.modifiedBy}` : '';
    lines.push(`- \`${d.address}\` changed${who}${d.modifiedAt ? ` at ${d.modifiedAt}` : ''}:`);
    for (const a of d.attributes) {
      lines.push(
        `  - \`${a.path.slice(1)}\`: expected ${escapeHtml(inline(a.expected))}, found ${escapeHtml(inline(a.actual))}`,
      );
    }
  }
  return lines.join('\n');
}

/** The drift report as Markdown (for an issue opened by a scheduled pipeline). */
export function renderDriftMarkdown(plan: Plan): string {
  const attested = renderAttestationsMarkdown(plan);
  if (plan.drift.length === 0) return `**No drift.** The systems match the state.\n${attested}`;
  return `**${plan.drift.length} resource(s) drifted** from what roster applied.\n\n${renderDriftBody(plan)}\n${attested}`;
}

/** Attributes drift cannot check (the system does not report them) and the confirmations they rest on. */
function renderAttestationsMarkdown(plan: Plan): string {
  if (plan.attestations.length === 0) return '';
  const rows = plan.attestations.map(
    (a) =>
      `| \`${a.address}\` | ${a.attribute} | ${a.by} | ${a.at.slice(0, 10)} | ${a.expiresAt.slice(0, 10)}${a.expired ? ' **expired**' : ''} |`,
  );
  return [
    '',
    '**Attested, not verified** (the systems do not report these attributes; they rest on confirmations):',
    '',
    '| resource | attribute | confirmed by | on | until |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
