import type { PlannedChange } from '../plan/types.js';
import type { RunbookStep } from '../provider.js';
import { plural } from './plural.js';

/** Where the secret of a step goes, in words an operator acts on (never the value). */
export function secretInstruction(label: string, origin: string | undefined, credential: string): string {
  if (!origin)
    return `${label} is shown once: keep it in your secret store (the manifest names no credentials.${credential}).`;
  if (origin.startsWith('file:'))
    return `${label} is shown once: save it in the file ${origin.slice(5)} (only you may read it: chmod 600); roster reads it from there.`;
  return `${label} is shown once: store it where the environment variable ${origin.slice(4)} is set from (your CI secret or vault); roster reads it from there.`;
}

/** One runbook step as numbered plain text (terminal prompt, and the body of the Markdown runbook). */
export function renderRunbookStep(
  step: RunbookStep,
  number: number,
  credentials: Record<string, string> = {},
): string {
  const lines = [`Step ${number}: ${step.title}`, `  System: ${step.system}`];
  if (step.uiPath.length > 0) lines.push(`  Go to:  ${step.uiPath.join(' › ')}`);
  if (step.fields.length > 0) {
    lines.push('  Enter:');
    const width = Math.max(...step.fields.map((f) => f.label.length));
    for (const f of step.fields) lines.push(`    ${f.label.padEnd(width)}  ${f.value}`);
  }
  for (const n of step.notes ?? []) lines.push(`  Note: ${n}`);
  for (const s of step.secrets ?? [])
    lines.push(`  Secret: ${secretInstruction(s.label, credentials[s.credential], s.credential)}`);
  return lines.join('\n');
}

/**
 * `.roster/runbook.md`: the manual steps still to do, in order, as a Markdown checklist an operator
 * works through in the systems' UIs. Values only, never secrets.
 */
export function renderRunbookMarkdown(
  pending: ReadonlyArray<{ change: PlannedChange; reason: string }>,
  opts: { generatedAt: string; command: string },
): string {
  const steps = pending.filter((p) => p.change.manual);
  const waiting = pending.filter((p) => !p.change.manual);
  const out: string[] = [
    '# roster runbook',
    '',
    `${plural(steps.length, 'manual step')} to do by hand, in this order (generated ${opts.generatedAt}).`,
    `When they are done, run \`${opts.command}\` again: roster reads each system back, verifies what it`,
    'can, and records the rest as attested by you.',
    '',
  ];
  let n = 0;
  for (const { change } of steps) {
    n += 1;
    const step = change.manual!.runbook;
    out.push(`## ${n}. ${escapeMd(step.title)}`, '');
    out.push(`- [ ] **System:** ${escapeMd(step.system)} (\`${change.address}\`)`);
    if (step.uiPath.length > 0) out.push(`- [ ] **Go to:** ${step.uiPath.map(escapeMd).join(' › ')}`);
    for (const f of step.fields) out.push(`- [ ] **${escapeMd(f.label)}:** ${escapeMd(f.value)}`);
    for (const s of step.secrets ?? [])
      out.push(
        `- [ ] **${escapeMd(s.label)}:** ${escapeMd(secretInstruction(s.label, change.credentials?.[s.credential], s.credential))}`,
      );
    for (const note of step.notes ?? []) out.push(`- ${escapeMd(note)}`);
    out.push('');
  }
  if (waiting.length > 0) {
    out.push('## Then roster continues', '');
    out.push('These changes wait for the steps above; the next run makes them through the API:', '');
    for (const { change, reason } of waiting)
      out.push(`- \`${change.address}\`: ${change.action} (${escapeMd(reason)})`);
    out.push('');
  }
  return out.join('\n');
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}
