import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { type Diagnostic, formatDiagnostic, sortDiagnostics } from '../diagnostics.js';
import { dottedPath, pointerSegments } from '../manifest/pointer.js';
import type { PermissionChange } from '../permissions/types.js';
import type { Plan, PlannedChange, Reason } from '../plan/types.js';
import { Budget } from './budget.js';
import {
  type CommentContext,
  commentHeading,
  commentMarker,
  projectFile,
  projectText,
  runLine,
} from './comment.js';
import { renderDriftBody } from './drift.js';
import { flatMapDifferences, groupPermissions, isFlatMap } from './permission-list.js';
import { plural } from './plural.js';
import { renderRunbookStep } from './runbook.js';
import { ACTION_PHRASE } from './values.js';

/** GitHub refuses comments longer than this. */
export const MARKDOWN_LIMIT = 65_536;

const ACTIONS = ['create', 'update', 'replace', 'deactivate', 'delete', 'rotate', 'import'] as const;

/** More lines than this in one account's permission list are folded into `<details>`. */
const FOLD_AFTER = 6;

/** How a plan comment is rendered. */
export interface PlanMarkdownOptions {
  /** Longest comment, in characters (default: GitHub's limit). */
  limit?: number;
  /** Project directory, workspace, how to apply, the CI run: the heading and the lines under it. */
  context?: CommentContext;
}

const SEE_JSON = 'see `roster plan --format json`';

/**
 * The plan as a pull-request comment: a heading naming the project and workspace with the counts,
 * the verdict, how to apply, red flags first, effective permissions as lists, one collapsible block
 * per resource. Every section has a share of the size limit.
 */
export function renderPlanMarkdown(plan: Plan, opts: PlanMarkdownOptions = {}): string {
  const limit = opts.limit ?? MARKDOWN_LIMIT;
  const ctx = opts.context;
  const head: string[] = [commentMarker('plan', ctx), commentHeading('plan', ctx, headingCounts(plan)), ''];
  head.push(verdict(plan));
  const manual = plan.summary.manual;
  if (manual > 0)
    head.push(
      '',
      `${manual === 1 ? '1 change is a manual step' : `${manual} changes are manual steps`} in a system's UI.`,
    );
  const how = applyLine(plan, ctx);
  if (how) head.push('', how);
  const run = runLine(ctx);
  if (run.length > 0) head.push('', ...run);

  const flags = plan.changes.filter(
    (c) =>
      ['replace', 'deactivate', 'delete'].includes(c.action) || c.execution === 'manual' || c.risk !== 'low',
  );
  const increases = (plan.permissions ?? []).filter((p) => p.gained.length > 0);
  const blocking = plan.findings.filter((f) => f.severity === 'error' && !f.excepted);
  if (flags.length > 0 || increases.length > 0 || blocking.length > 0) {
    // Budgeted: a plan of thousands of changes must still leave room for its summary.
    const section = new Budget(Math.floor(limit * 0.3));
    for (const f of blocking)
      section.push(`- **policy ${f.policy}** \`${f.address}\` — ${escapeHtml(f.message)}${at(f, ctx)}`);
    for (const p of increases) {
      const groups = groupPermissions(p.gained);
      const shown = groups.slice(0, 3).map(escapeHtml).join('; ');
      const more = groups.length > 3 ? ` (and ${groups.length - 3} more under Effective permissions)` : '';
      section.push(
        `- **permission increase** \`${p.address}\` gains ${plural(p.gained.length, 'permission')}: ${shown}${more}`,
      );
    }
    for (const c of flags) {
      const why = c.reasons.map((r) => reasonSummary(c, r)).join('; ');
      section.push(
        `- **${c.action}** \`${c.address}\` (${c.risk} risk${c.execution === 'manual' ? ', manual' : ''})${why ? ` — ${escapeHtml(why)}` : ''}`,
      );
    }
    head.push('', '### ⚠️ Review first', '', ...section.done('red flag', SEE_JSON));
  }
  if (plan.permissions && plan.permissions.length > 0) {
    const section = new Budget(Math.floor(limit * 0.15));
    plan.permissions.forEach((p, i) => {
      section.push(...(i > 0 ? [''] : []), ...permissionEntry(p));
    });
    head.push(
      '',
      '### Effective permissions',
      '',
      'What each account can do before → after this plan (security levels and roles, groups, connectors; across systems).',
      '',
      ...section.done('account', SEE_JSON),
    );
  }
  if (plan.findings.length > 0) {
    const section = new Budget(Math.floor(limit * 0.15));
    for (const f of plan.findings) {
      const sev = f.excepted
        ? `~~${f.severity}~~ excepted`
        : f.severity === 'error'
          ? '**error**'
          : f.severity;
      const why = f.excepted ? ` — _excepted: ${f.excepted.reason}_` : '';
      const cell = escapeHtml(`${f.message}${at(f, ctx)}${why}`).replace(/\|/g, '\\|');
      section.push(`| ${sev} | \`${f.policy}\` | \`${f.address}\` | ${cell} |`);
    }
    head.push(
      '',
      '### Policy findings',
      '',
      '| severity | rule | resource | finding |',
      '|---|---|---|---|',
      ...section.done('finding', SEE_JSON),
    );
  }
  if (plan.blockedReplacements.length > 0) {
    head.push(
      '',
      `> **Apply will refuse** the replacement of ${plan.blockedReplacements.map((a) => `\`${a}\``).join(', ')} until the resource has \`lifecycle.allowReplace: true\` or the run passes \`--replace\`.`,
    );
  }
  const diags = sortDiagnostics(plan.diagnostics);
  if (diags.length > 0) {
    const section = new Budget(Math.floor(limit * 0.15));
    for (const d of diags) section.push(formatDiagnostic(relativeDiagnostic(d, ctx)));
    head.push(
      '',
      '### Diagnostics',
      '',
      '```',
      ...section.done('diagnostic', 'see `roster validate`'),
      '```',
    );
  }
  if (plan.drift.length > 0) head.push('', renderDriftBody(plan));

  let manualStep = 0;
  const details = plan.changes.map((c) => renderDetails(c, c.execution === 'manual' ? ++manualStep : 0));
  const tail = [
    '',
    `<sub>roster plan · state serial ${plan.serial} · ${plural(plan.stats.apiCalls, 'API call')}</sub>`,
    '',
  ];
  let body = [...head, '', '### Changes', ''];
  let used = body.join('\n').length + tail.join('\n').length;
  let shown = 0;
  for (const d of details) {
    if (used + d.length + 400 > limit) break;
    body.push(d);
    used += d.length + 1;
    shown += 1;
  }
  if (shown < details.length) {
    const left = details.length - shown;
    body.push(
      '',
      `_${left} more ${left === 1 ? 'change is' : 'changes are'} not shown: the comment would exceed GitHub's ${limit.toLocaleString('en-US')}-character limit. Run \`roster plan --format json\` (or download the plan artifact) for the full plan._`,
    );
  }
  if (plan.changes.length === 0) body = [...head];
  return [...body, ...tail].join('\n');
}

/** The counts of the heading line: `3 changes (1 to create, 2 to update)`, `no changes`, `failed: 1 error`. */
function headingCounts(plan: Plan): string {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) return `failed: ${plural(errors, 'error')}`;
  const blocking = plan.findings.filter((f) => f.severity === 'error' && !f.excepted).length;
  if (blocking > 0) return `blocked: ${plural(blocking, 'policy finding')}`;
  if (plan.mode === 'refresh-only')
    return plan.drift.length === 0
      ? 'refresh only: no changes'
      : `refresh only: ${plural(plan.drift.length, 'resource')} changed outside roster`;
  if (plan.changes.length === 0) return 'no changes';
  const parts = ACTIONS.filter((a) => plan.summary[a] > 0).map(
    (a) => `${plan.summary[a].toLocaleString('en-US')} to ${a}`,
  );
  return `${plural(plan.changes.length, 'change')} (${parts.join(', ')})`;
}

function verdict(plan: Plan): string {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0)
    return `**roster plan failed** with ${plural(errors, 'error')}: nothing can be applied until ${errors === 1 ? 'it is' : 'they are'} fixed.`;
  const blocking = plan.findings.filter((f) => f.severity === 'error' && !f.excepted).length;
  if (blocking > 0)
    return `**roster plan is blocked** by ${plural(blocking, 'policy finding')} of severity error: fix ${blocking === 1 ? 'it' : 'them'} or add an exception with its reason before applying ${plural(plan.changes.length, 'change')}.`;
  if (plan.mode === 'refresh-only')
    return plan.drift.length === 0
      ? '**No changes outside roster.** The state matches the systems.'
      : `**Applying this refresh-only plan records in state what the systems have for ${plural(plan.drift.length, 'resource')}**; it changes nothing in the systems.`;
  if (plan.changes.length === 0) return '**No changes.** The systems match the manifests.';
  const destructive = plan.summary.replace + plan.summary.deactivate + plan.summary.delete;
  const n = plan.changes.length;
  const which =
    destructive === 0 ? '' : n === 1 ? ', a destructive one' : `, ${destructive} of them destructive`;
  return `**roster will make ${plural(n, 'change')}**${which}.`;
}

/** "To apply: …": what applies exactly this plan, or what the pipeline does on merge. */
function applyLine(plan: Plan, ctx: CommentContext | undefined): string | undefined {
  const nothing =
    plan.diagnostics.some((d) => d.severity === 'error') ||
    plan.findings.some((f) => f.severity === 'error' && !f.excepted) ||
    (plan.mode === 'refresh-only' ? plan.drift.length === 0 : plan.changes.length === 0);
  if (nothing || !ctx?.apply) return undefined;
  const { command, savedPlan, note } = ctx.apply;
  const cmd = `\`${command.replace(/`/g, "'")}\``;
  if (note) return `**To apply:** ${escapeHtml(note)} By hand: ${cmd}.`;
  return savedPlan
    ? `**To apply:** ${cmd} applies exactly this plan; it refuses if the systems or the state changed since the plan was made.`
    : `**To apply:** ${cmd} plans again and applies what you confirm; save the plan with \`--out FILE\` and run \`roster apply FILE\` to apply exactly this one.`;
}

/** One account in "Effective permissions": what it gains and loses, grouped; long lists folded. */
function permissionEntry(p: PermissionChange): string[] {
  const counts = [
    p.gained.length > 0 ? `gains ${plural(p.gained.length, 'permission')}` : '',
    p.lost.length > 0 ? `loses ${plural(p.lost.length, 'permission')}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    ...groupPermissions(p.gained).map((g) => `- gains ${escapeHtml(g)}`),
    ...groupPermissions(p.lost).map((g) => `- loses ${escapeHtml(g)}`),
  ];
  if (lines.length <= FOLD_AFTER) return [`**\`${p.address}\`** ${counts}:`, '', ...lines];
  return [
    '<details>',
    `<summary><code>${escapeHtml(p.address)}</code> ${counts}</summary>`,
    '',
    ...lines,
    '',
    '</details>',
  ];
}

/** The value a reason's JSON pointer points at in `before` or `after` (top-level attributes and below). */
function valueAt(obj: Record<string, unknown> | null, pointer: string): unknown {
  let v: unknown = obj ?? undefined;
  for (const s of pointerSegments(pointer)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

/**
 * The permission map a `changed` reason is about (before and after), when it is one: its message
 * prints both maps inline, which reads badly once a level has more than a few rights.
 */
function changedMap(c: PlannedChange, r: Reason): { before: unknown; after: unknown } | undefined {
  if (r.rule !== 'changed' || r.path === '') return undefined;
  const before = valueAt(c.before, r.path);
  const after = valueAt(c.after, r.path);
  return isFlatMap(before) || isFlatMap(after) ? { before, after } : undefined;
}

/** A reason in one phrase, for the red flags: a changed permission map is counted, not printed. */
function reasonSummary(c: PlannedChange, r: Reason): string {
  const map = changedMap(c, r);
  if (!map) return r.message;
  const n = flatMapDifferences(map.before, map.after).length;
  return `${dottedPath(r.path)}: ${plural(n, 'entry', 'entries')} changed`;
}

/** A reason as list items: a changed permission map is one item a key that differs. */
function reasonItems(c: PlannedChange, r: Reason): string[] {
  const map = changedMap(c, r);
  if (!map) return [`- ${escapeHtml(r.message)}`];
  return [
    `- \`${dottedPath(r.path)}\`:`,
    ...flatMapDifferences(map.before, map.after).map((d) => {
      const text =
        d.before === undefined
          ? `added ${d.key}: ${d.after}`
          : d.after === undefined
            ? `removed ${d.key}: ${d.before}`
            : `${d.key}: ${d.before} → ${d.after}`;
      return `  - ${escapeHtml(text)}`;
    }),
  ];
}

function renderDetails(change: PlannedChange, step: number): string {
  const before = change.before ? stringify(change.before, { sortMapEntries: true }) : '';
  const after = change.after ? stringify(change.after, { sortMapEntries: true }) : '';
  const lines = createTwoFilesPatch('before', 'after', before, after, '', '', { context: 3 }).split('\n');
  // Keep the hunks only: the file headers say nothing a reviewer needs.
  const patch = lines
    .slice(lines.findIndex((l) => l.startsWith('@@')))
    .join('\n')
    .trimEnd();
  const reasons = change.reasons.flatMap((r) => reasonItems(change, r)).join('\n');
  const steps = change.steps
    ? `\n\nSteps:\n${change.steps.map((s, i) => `${i + 1}. ${escapeHtml(s)}`).join('\n')}`
    : '';
  const attested =
    change.attested && change.attested.length > 0
      ? `\n\nAttested, not readable from the system: ${change.attested.join(', ')}.`
      : '';
  const runbook = change.manual
    ? `\n\nManual step (done by a person in the system's UI):\n\n\`\`\`\n${renderRunbookStep(change.manual.runbook, step, change.credentials)}\n\`\`\``
    : '';
  const text = (reasons + steps + attested + runbook).replace(/^\n+/, '');
  return [
    '<details>',
    `<summary><code>${change.address}</code> ${ACTION_PHRASE[change.action] ?? change.action}${change.execution === 'manual' ? ' (manual)' : ''}</summary>`,
    '',
    ...(text ? [text, ''] : []),
    '```diff',
    patch,
    '```',
    '</details>',
  ].join('\n');
}

/** ` (file:line)` of a finding, when known, relative to the project. */
function at(f: { file?: string; line?: number }, ctx: CommentContext | undefined): string {
  return f.file && f.line ? ` (${projectFile(f.file, ctx)}:${f.line})` : '';
}

/** A diagnostic with its file relative to the project and no absolute directory of the run in its message. */
function relativeDiagnostic(d: Diagnostic, ctx: CommentContext | undefined): Diagnostic {
  return {
    ...d,
    message: projectText(d.message, ctx),
    ...(d.file ? { file: projectFile(d.file, ctx) } : {}),
  };
}

export function escapeHtml(s: string): string {
  return s.replace(/[<>]/g, (ch) => (ch === '<' ? '&lt;' : '&gt;'));
}
