import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { formatDiagnostic, sortDiagnostics } from '../diagnostics.js';
import type { Plan, PlannedChange } from '../plan/types.js';
import { renderDriftBody } from './drift.js';
import { renderRunbookStep } from './runbook.js';
import { ACTION_PHRASE } from './values.js';

/** GitHub refuses comments longer than this. */
export const MARKDOWN_LIMIT = 65_536;

const ACTIONS = ['create', 'update', 'replace', 'deactivate', 'delete', 'rotate', 'import'] as const;

/** The plan as a pull-request comment: verdict, counts, red flags first, one collapsible block per resource. */
export function renderPlanMarkdown(plan: Plan, opts: { limit?: number } = {}): string {
  const limit = opts.limit ?? MARKDOWN_LIMIT;
  const head: string[] = [];
  head.push(verdict(plan), '');
  head.push('| action | count |', '|---|---:|');
  for (const a of ACTIONS) if (plan.summary[a] > 0) head.push(`| ${a} | ${plan.summary[a]} |`);
  head.push(`| **total** | ${plan.changes.length} |`);
  if (plan.summary.manual > 0)
    head.push('', `${plan.summary.manual} change(s) are manual steps in a system's UI.`);

  const flags = plan.changes.filter(
    (c) =>
      ['replace', 'deactivate', 'delete'].includes(c.action) || c.execution === 'manual' || c.risk !== 'low',
  );
  const increases = (plan.permissions ?? []).filter((p) => p.gained.length > 0);
  const blocking = plan.findings.filter((f) => f.severity === 'error' && !f.excepted);
  if (flags.length > 0 || increases.length > 0 || blocking.length > 0) {
    // Budgeted: a plan of thousands of changes must still leave room for its summary.
    const section = new Budget(Math.floor(limit * 0.3));
    section.push('', '### ⚠️ Review first', '');
    for (const f of blocking)
      section.push(`- **policy ${f.policy}** \`${f.address}\` — ${escapeHtml(f.message)}${at(f)}`);
    for (const p of increases)
      section.push(`- **permission increase** \`${p.address}\` gains ${list(p.gained, 6)}`);
    for (const c of flags) {
      const why = c.reasons.map((r) => r.message).join('; ');
      section.push(
        `- **${c.action}** \`${c.address}\` (${c.risk} risk${c.execution === 'manual' ? ', manual' : ''}) — ${escapeHtml(why)}`,
      );
    }
    head.push(...section.done('red flag(s)'));
  }
  if (plan.permissions && plan.permissions.length > 0) {
    const section = new Budget(Math.floor(limit * 0.15));
    section.push(
      '',
      '### Effective permissions',
      '',
      'What each account can do before → after this plan (security levels and roles, groups, connectors; across systems).',
      '',
      '| account | gains | loses |',
      '|---|---|---|',
    );
    for (const p of plan.permissions)
      section.push(`| \`${p.address}\` | ${list(p.gained, 12) || '—'} | ${list(p.lost, 12) || '—'} |`);
    head.push(...section.done('account(s)'));
  }
  if (plan.findings.length > 0) {
    const section = new Budget(Math.floor(limit * 0.15));
    section.push(
      '',
      '### Policy findings',
      '',
      '| severity | rule | resource | finding |',
      '|---|---|---|---|',
    );
    for (const f of plan.findings) {
      const sev = f.excepted
        ? `~~${f.severity}~~ excepted`
        : f.severity === 'error'
          ? '**error**'
          : f.severity;
      const why = f.excepted ? ` — _excepted: ${f.excepted.reason}_` : '';
      const cell = escapeHtml(`${f.message}${at(f)}${why}`).replace(/\|/g, '\\|');
      section.push(`| ${sev} | \`${f.policy}\` | \`${f.address}\` | ${cell} |`);
    }
    head.push(...section.done('finding(s)'));
  }
  if (plan.blockedReplacements.length > 0) {
    head.push(
      '',
      `> **Apply will refuse** the replacement of ${plan.blockedReplacements.map((a) => `\`${a}\``).join(', ')} until the resource has \`lifecycle.allowReplace: true\` or the run passes \`--replace\`.`,
    );
  }
  const diags = sortDiagnostics(plan.diagnostics);
  if (diags.length > 0) {
    head.push('', '### Diagnostics', '', '```', ...diags.map(formatDiagnostic), '```');
  }
  if (plan.drift.length > 0) head.push('', renderDriftBody(plan));

  let manualStep = 0;
  const details = plan.changes.map((c) => renderDetails(c, c.execution === 'manual' ? ++manualStep : 0));
  const tail = [
    '',
    `<sub>roster plan · state serial ${plan.serial} · ${plan.stats.apiCalls} API calls</sub>`,
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
    body.push(
      '',
      `_${details.length - shown} more change(s) not shown: the comment would exceed GitHub's ${limit.toLocaleString('en-US')}-character limit. Run \`roster plan --format json\` (or download the plan artifact) for the full plan._`,
    );
  }
  if (plan.changes.length === 0) body = [...head];
  return [...body, ...tail].join('\n');
}

function verdict(plan: Plan): string {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0)
    return `**roster plan failed** with ${errors} error(s): nothing can be applied until they are fixed.`;
  const blocking = plan.findings.filter((f) => f.severity === 'error' && !f.excepted).length;
  if (blocking > 0)
    return `**roster plan is blocked** by ${blocking} policy finding(s) of severity error: fix them or add an exception with its reason before applying ${plan.changes.length} change(s).`;
  if (plan.changes.length === 0) return '**No changes.** The systems match the manifests.';
  const destructive = plan.summary.replace + plan.summary.deactivate + plan.summary.delete;
  const parts = ACTIONS.filter((a) => plan.summary[a] > 0).map((a) => `${plan.summary[a]} to ${a}`);
  return `**roster will make ${plan.changes.length} change(s)** (${parts.join(', ')})${destructive > 0 ? `, ${destructive} of them destructive` : ''}.`;
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
  const reasons = change.reasons.map((r) => `- ${escapeHtml(r.message)}`).join('\n');
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
  return [
    '<details>',
    `<summary><code>${change.address}</code> ${ACTION_PHRASE[change.action] ?? change.action}${change.execution === 'manual' ? ' (manual)' : ''}</summary>`,
    '',
    reasons + steps + attested + runbook,
    '',
    '```diff',
    patch,
    '```',
    '</details>',
  ].join('\n');
}

/** Lines of one section, cut off (with a count of what was left out) once it reaches its share of the comment. */
class Budget {
  readonly #lines: string[] = [];
  #used = 0;
  #dropped = 0;
  constructor(readonly max: number) {}
  push(...lines: string[]): void {
    for (const l of lines) {
      if (this.#dropped > 0 || this.#used + l.length + 1 > this.max) {
        this.#dropped += 1;
        continue;
      }
      this.#lines.push(l);
      this.#used += l.length + 1;
    }
  }
  done(what: string): string[] {
    if (this.#dropped === 0) return this.#lines;
    return [...this.#lines, '', `_…and ${this.#dropped} more ${what}: see \`roster plan --format json\`._`];
  }
}

/** Up to `max` items, in code spans, then how many more. */
function list(items: readonly string[], max: number): string {
  const shown = items.slice(0, max).map((i) => `\`${i.replace(/`/g, "'")}\``);
  return items.length > max ? `${shown.join(', ')} (+${items.length - max} more)` : shown.join(', ');
}

/** ` (file:line)` of a finding, when known. */
function at(f: { file?: string; line?: number }): string {
  return f.file && f.line ? ` (${f.file}:${f.line})` : '';
}

export function escapeHtml(s: string): string {
  return s.replace(/[<>]/g, (ch) => (ch === '<' ? '&lt;' : '&gt;'));
}
