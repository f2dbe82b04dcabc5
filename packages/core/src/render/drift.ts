import pc from 'picocolors';
import { DRIFT_CLASSES, type DriftClass } from '../drift/classes.js';
import type { DriftReport } from '../drift/report.js';
import type { UnmanagedObject } from '../drift/unmanaged.js';
import type { DriftEntry, Plan } from '../plan/types.js';
import { Budget } from './budget.js';
import { type CommentContext, commentHeading, commentMarker, projectFile, runLine } from './comment.js';
import { escapeHtml, MARKDOWN_LIMIT } from './markdown.js';
import { flatMapDifferences, flatMapLines, isFlatMap } from './permission-list.js';
import { plural } from './plural.js';
import type { TextOptions } from './text.js';
import { inline } from './values.js';

type Colors = ReturnType<typeof pc.createColors>;

/** The drift section of a plan in text (changed and deleted together, as refresh found them). */
export function renderDriftSection(plan: Pick<Plan, 'drift'>, c: Colors): string {
  if (plan.drift.length === 0) return '';
  return [
    c.bold('Objects changed outside roster since the last apply:'),
    '',
    ...plan.drift.flatMap((d) => driftEntryText(d, c)),
  ].join('\n');
}

function driftEntryText(d: DriftEntry, c: Colors): string[] {
  if (d.status === 'deleted') return [c.red(`  # ${d.address} was deleted outside roster`)];
  const who = d.modifiedBy ? ` by ${d.modifiedBy}` : '';
  const when = d.modifiedAt ? ` at ${d.modifiedAt}` : '';
  return [
    c.yellow(`  # ${d.address} was changed outside roster${who}${when}`),
    ...d.attributes.map((a) => `      ~ ${a.path.slice(1)}: ${inline(a.expected)} → ${inline(a.actual)}`),
  ];
}

/** Headings of the three classes, shared by text and Markdown so both read alike. */
const HEADING: Record<DriftClass, string> = {
  changed: 'Changed outside roster',
  deleted: 'Deleted outside roster',
  unmanaged: 'Unmanaged (in the system, in no manifest)',
};

/** `roster drift` in text: one section per class found, then counts of what was found and accepted. */
export function renderDriftText(report: DriftReport, opts: TextOptions): string {
  const c = pc.createColors(opts.color);
  const sections: string[] = [];
  const changed = report.drift.filter((d) => d.status === 'changed');
  const deleted = report.drift.filter((d) => d.status === 'deleted');
  if (changed.length > 0)
    sections.push(
      [c.bold(`${HEADING.changed}:`), '', ...changed.flatMap((d) => driftEntryText(d, c))].join('\n'),
    );
  if (deleted.length > 0)
    sections.push(
      [c.bold(`${HEADING.deleted}:`), '', ...deleted.flatMap((d) => driftEntryText(d, c))].join('\n'),
    );
  if (report.unmanaged.length > 0)
    sections.push(
      [c.bold(`${HEADING.unmanaged}:`), '', ...report.unmanaged.flatMap((o) => unmanagedText(o, c))].join(
        '\n',
      ),
    );
  const footer = footerLines(report).join('\n');
  const attested = renderAttestations(report, c);
  if (sections.length === 0)
    return `${c.green('No drift.')} The systems match the state.\n${footer ? `${footer}\n` : ''}${attested}`;
  return `${sections.join('\n\n')}\n\n${foundLine(report)}\n${footer ? `${footer}\n` : ''}${attested}`;
}

function unmanagedText(o: UnmanagedObject, c: Colors): string[] {
  return [
    c.yellow(`  + ${o.address} (id ${o.id})${lastChanged(o)}`),
    ...Object.entries(o.attributes).map(([k, v]) => `      ${k}: ${inline(v)}`),
  ];
}

function lastChanged(o: UnmanagedObject): string {
  if (!o.modifiedBy && !o.modifiedAt) return '';
  return `, last changed${o.modifiedBy ? ` by ${o.modifiedBy}` : ''}${o.modifiedAt ? ` at ${o.modifiedAt}` : ''}`;
}

/** `Found: 1 changed, 2 unmanaged.` (only the enabled classes). */
function foundLine(report: DriftReport): string {
  const n = counts(report);
  const parts = DRIFT_CLASSES.filter((k) => report.classes[k]).map((k) => `${n[k]} ${k}`);
  return `Found: ${parts.join(', ')}.`;
}

function counts(report: DriftReport): Record<DriftClass, number> {
  return {
    changed: report.drift.filter((d) => d.status === 'changed').length,
    deleted: report.drift.filter((d) => d.status === 'deleted').length,
    unmanaged: report.unmanaged.length,
  };
}

/** What the baseline accepted and which classes were not looked for: never silent. */
function footerLines(report: DriftReport): string[] {
  const lines: string[] = [];
  const total = report.ignored.changed + report.ignored.deleted + report.ignored.unmanaged;
  if (report.ignoreFile && total > 0) {
    const parts: string[] = [];
    if (report.ignored.changed > 0)
      parts.push(`${report.ignored.changed} changed attribute${report.ignored.changed === 1 ? '' : 's'}`);
    if (report.ignored.deleted > 0) parts.push(`${report.ignored.deleted} deleted`);
    if (report.ignored.unmanaged > 0) parts.push(`${report.ignored.unmanaged} unmanaged`);
    lines.push(`${total} accepted by ${report.ignoreFile} (${parts.join(', ')}).`);
  }
  const off = DRIFT_CLASSES.filter((k) => !report.classes[k]);
  if (off.length > 0) lines.push(`Not checked: ${off.map((k) => `${k} (--no-${k})`).join(', ')}.`);
  return lines;
}

/** Attributes drift cannot check, and who confirmed them until when. */
export function renderAttestations(plan: Pick<Plan, 'attestations'>, c: Colors): string {
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

/** The drift section of a plan in Markdown (a pull-request comment). */
export function renderDriftBody(plan: Pick<Plan, 'drift'>): string {
  return ['### Changed outside roster', '', ...plan.drift.flatMap(driftEntryMarkdown)].join('\n');
}

function driftEntryMarkdown(d: DriftEntry): string[] {
  if (d.status === 'deleted') return [`- \`${d.address}\` was **deleted** outside roster`];
  const who = d.modifiedBy ? ` by ${escapeHtml(d.modifiedBy)}` : '';
  return [
    `- \`${d.address}\` changed${who}${d.modifiedAt ? ` at ${d.modifiedAt}` : ''}:`,
    ...d.attributes.flatMap((a) => {
      if (isFlatMap(a.expected) || isFlatMap(a.actual)) {
        // A permission map reads a key a line: which rights differ, not two long objects.
        return [
          `  - \`${a.path.slice(1)}\`:`,
          ...flatMapDifferences(a.expected, a.actual).map(
            (k) =>
              `    - ${escapeHtml(`${k.key}: ${k.before === undefined ? 'not expected' : `expected ${k.before}`}, ${k.after === undefined ? 'missing' : `found ${k.after}`}`)}`,
          ),
        ];
      }
      return [
        `  - \`${a.path.slice(1)}\`: expected ${escapeHtml(inline(a.expected))}, found ${escapeHtml(inline(a.actual))}`,
      ];
    }),
  ];
}

/** How a drift issue is rendered. */
export interface DriftMarkdownOptions {
  /** Longest body, in characters (default: GitHub's limit, which issues share with comments). */
  limit?: number;
  /** Project directory, workspace and the CI run: the heading and the line under it. */
  context?: CommentContext;
}

const SEE_DRIFT_JSON = 'see `roster drift --format json`';

/**
 * `roster drift` as Markdown, for an issue a scheduled pipeline opens, in reading order: the heading
 * (project, workspace, counts), the verdict and a table of the classes; what was changed by hand
 * (who, when, expected → found), then what is missing (deleted), then unmanaged objects — the
 * longest and least urgent list — last; attestations and the footer close it.
 */
export function renderDriftMarkdown(report: DriftReport, opts: DriftMarkdownOptions = {}): string {
  const limit = opts.limit ?? MARKDOWN_LIMIT;
  const ctx = opts.context;
  const n = counts(report);
  const drifted = n.changed + n.deleted;
  const headingCounts = [
    drifted > 0 ? `${plural(drifted, 'resource')} drifted` : '',
    n.unmanaged > 0 ? plural(n.unmanaged, 'unmanaged object') : '',
  ].filter(Boolean);
  const verdict: string[] = [];
  if (drifted > 0) verdict.push(`**${plural(drifted, 'resource')} drifted** from what roster applied`);
  if (n.unmanaged > 0)
    verdict.push(
      `**${plural(n.unmanaged, 'unmanaged object')}** ${n.unmanaged === 1 ? 'exists' : 'exist'} in no manifest`,
    );
  const out = [
    commentMarker('drift', ctx),
    commentHeading('drift', ctx, headingCounts.length > 0 ? headingCounts.join(', ') : 'no drift'),
    '',
    verdict.length > 0 ? `${verdict.join('; ')}.` : '**No drift.** The systems match the state.',
  ];
  const run = runLine(ctx);
  if (run.length > 0) out.push('', ...run);
  out.push('');
  const ignoreFile = report.ignoreFile ? projectFile(report.ignoreFile, ctx) : undefined;
  const accepted = ignoreFile ? `accepted by \`${ignoreFile}\`` : 'accepted';
  out.push(`| class | found | ${accepted} |`, '|---|---:|---:|');
  for (const k of DRIFT_CLASSES) {
    const label = HEADING[k].replace(/ \(.*\)$/, '');
    // Attributes of a changed resource are accepted one by one, so that count is of attributes.
    const ignored = k === 'changed' ? plural(report.ignored[k], 'attribute') : String(report.ignored[k]);
    out.push(
      report.classes[k]
        ? `| ${label} | ${n[k]} | ${ignored} |`
        : `| ${label} | not checked (\`--no-${k}\`) | — |`,
    );
  }
  const changed = report.drift.filter((d) => d.status === 'changed');
  const deleted = report.drift.filter((d) => d.status === 'deleted');
  if (changed.length > 0) {
    const section = new Budget(Math.floor(limit * 0.35));
    for (const d of changed) section.push(...driftEntryMarkdown(d));
    out.push('', `### ${HEADING.changed}`, '', ...section.done('changed resource', SEE_DRIFT_JSON));
  }
  if (deleted.length > 0) {
    const section = new Budget(Math.floor(limit * 0.15));
    for (const d of deleted) section.push(...driftEntryMarkdown(d));
    out.push('', `### ${HEADING.deleted}`, '', ...section.done('deleted resource', SEE_DRIFT_JSON));
  }
  if (drifted > 0) {
    const apply = (ctx?.apply?.command ?? 'roster apply').replace(/`/g, "'");
    const refresh = apply.replace(/^roster apply/, 'roster apply --refresh-only');
    out.push(
      '',
      `To put them back as the manifests declare: \`${apply}\`. To accept them into state instead: \`${refresh}\`, or list them in \`${ignoreFile ?? '.rosterignore'}\`.`,
    );
  }
  if (report.unmanaged.length > 0) {
    const section = new Budget(Math.floor(limit * 0.3));
    for (const o of report.unmanaged) {
      section.push(
        `<details>`,
        `<summary><code>${escapeHtml(o.address)}</code> (id ${escapeHtml(o.id)})${escapeHtml(lastChanged(o))}</summary>`,
        '',
        ...Object.entries(o.attributes).flatMap(([k, v]) =>
          isFlatMap(v)
            ? [`- \`${k}\`:`, ...flatMapLines(v).map((l) => `  - ${escapeHtml(l)}`)]
            : [`- \`${k}\`: ${escapeHtml(inline(v))}`],
        ),
        '',
        '</details>',
      );
    }
    out.push(
      '',
      `### ${HEADING.unmanaged}`,
      '',
      ...section.done('unmanaged object', SEE_DRIFT_JSON),
      '',
      `Declare them in a manifest (roster adopts an object by its natural key), remove them in the system, or accept them in \`${ignoreFile ?? '.rosterignore'}\`.`,
    );
  }
  const attested = renderAttestationsMarkdown(report);
  if (attested) out.push(attested);
  out.push(
    '',
    `<sub>roster drift · state serial ${report.serial} · ${plural(report.stats.apiCalls, 'API call')}</sub>`,
  );
  return `${out.join('\n')}\n`;
}

/** Attributes drift cannot check (the system does not report them) and the confirmations they rest on. */
function renderAttestationsMarkdown(plan: Pick<Plan, 'attestations'>): string {
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
  ].join('\n');
}
