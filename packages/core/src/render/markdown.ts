import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { formatDiagnostic, sortDiagnostics } from '../diagnostics.js';
import type { Plan, PlannedChange } from '../plan/types.js';
import { renderDriftBody } from './drift.js';
import { renderRunbookStep } from './runbook.js';
import { ACTION_PHRASE, inline } from './values.js';

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
  if (flags.length > 0) {
    head.push('', '### ⚠️ Review first', '');
    for (const c of flags) {
      const why = c.reasons.map((r) => r.message).join('; ');
      head.push(
        `- **${c.action}** \`${c.address}\` (${c.risk} risk${c.execution === 'manual' ? ', manual' : ''}) — ${escapeHtml(why)}`,
      );
    }
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

export function escapeHtml(s: string): string {
  return s.replace(/[<>]/g, (ch) => (ch === '<' ? '&lt;' : '&gt;'));
}
