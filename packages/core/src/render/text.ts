import pc from 'picocolors';
import type { Plan, PlannedChange } from '../plan/types.js';
import { renderDriftSection } from './drift.js';
import { renderRunbookStep } from './runbook.js';
import { ACTION_PHRASE, ACTION_SYMBOL, inline } from './values.js';

export interface TextOptions {
  /** Colour output (decided by the caller: TTY, `NO_COLOR`, `FORCE_COLOR`). */
  color: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

/** The plan as a person reads it in a terminal, Terraform-style. */
export function renderPlanText(plan: Plan, opts: TextOptions): string {
  const c = pc.createColors(opts.color);
  const out: string[] = [];
  const drift = renderDriftSection(plan, c);
  if (drift) out.push(drift);

  if (plan.mode === 'refresh-only') {
    out.push(
      plan.drift.length === 0
        ? 'No changes outside roster: the state matches the systems.'
        : 'Applying this refresh-only plan records these values in state; it changes nothing in the systems.',
    );
  } else if (plan.changes.length === 0) {
    out.push(`${c.green('No changes.')} The systems match the manifests.`);
  } else {
    out.push('roster will perform these actions:');
    let step = 0;
    for (const change of plan.changes)
      out.push(renderChange(change, c, change.execution === 'manual' ? ++step : 0));
    out.push(summaryLine(plan, c));
  }
  const permissions = renderPermissions(plan, c);
  if (permissions) out.push(permissions);
  if (plan.blockedReplacements.length > 0) {
    out.push(
      c.red(
        `Apply will refuse: ${plan.blockedReplacements.join(', ')} must be replaced. Set lifecycle.allowReplace: true on the resource or pass --replace ADDR to allow it.`,
      ),
    );
  }
  return `${out.join('\n\n')}\n`;
}

/** What each account gains and loses (effective permissions, across systems). */
function renderPermissions(plan: Plan, c: Colors): string {
  const changes = plan.permissions ?? [];
  if (changes.length === 0) return '';
  const lines = [c.bold('Effective permissions that change:')];
  for (const p of changes) {
    lines.push(`  ${p.address}`);
    for (const g of p.gained) lines.push(c.yellow(`    + ${g}`));
    for (const l of p.lost) lines.push(c.green(`    - ${l}`));
  }
  return lines.join('\n');
}

function colorFor(action: string, c: Colors): (s: string) => string {
  switch (action) {
    case 'create':
    case 'import':
      return c.green;
    case 'update':
      return c.yellow;
    default:
      return c.red;
  }
}

function renderChange(change: PlannedChange, c: Colors, step: number): string {
  const color = colorFor(change.action, c);
  const lines: string[] = [];
  const manual = change.execution === 'manual' ? c.magenta(` (manual step ${step})`) : '';
  const phrase =
    change.manual?.operation === 'reconfirm'
      ? 'needs a person to confirm what roster cannot read'
      : (ACTION_PHRASE[change.action] ?? change.action);
  lines.push(c.bold(`  # ${change.address} ${phrase}${manual}`));
  lines.push(
    color(`  ${ACTION_SYMBOL[change.action] ?? '?'} ${change.kind} ${JSON.stringify(change.naturalKey)}`),
  );
  const before = change.before ?? {};
  const after = change.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const width = Math.max(0, ...keys.map((k) => k.length));
  const attested = new Set(change.attested ?? []);
  for (const key of keys) {
    const b = before[key];
    const a = after[key];
    const same = JSON.stringify(b) === JSON.stringify(a);
    const pad = key.padEnd(width);
    const mark = attested.has(key) ? c.dim(' (attested)') : '';
    if (mark) {
      // Unreadable attributes: shown with how roster knows them.
      if (change.before === null) lines.push(c.green(`      + ${pad} = ${inline(a)}`) + mark);
      else if (same) lines.push(`        ${pad} = ${inline(a)}${mark}`);
      else lines.push(c.yellow(`      ~ ${pad} = ${inline(b)} → ${inline(a)}`) + mark);
      continue;
    }
    if (change.before === null) lines.push(c.green(`      + ${pad} = ${inline(a)}`));
    else if (change.after === null) lines.push(c.red(`      - ${pad} = ${inline(b)}`));
    else if (same) {
      if (change.action === 'import') lines.push(`        ${pad} = ${inline(a)}`);
    } else if (b === undefined) lines.push(c.green(`      + ${pad} = ${inline(a)}`));
    else if (a === undefined) lines.push(c.red(`      - ${pad} = ${inline(b)}`));
    else lines.push(c.yellow(`      ~ ${pad} = ${inline(b)} → ${inline(a)}`));
  }
  for (const r of change.reasons) {
    if (r.rule === 'changed') continue;
    lines.push(c.dim(`        ${r.rule}: ${r.message}`));
  }
  if (change.steps) {
    change.steps.forEach((s, i) => {
      lines.push(c.dim(`        step ${i + 1}: ${s}`));
    });
  }
  if (change.manual) {
    if (change.manual.apiAttributes.length > 0)
      lines.push(
        c.dim(`        roster sets ${change.manual.apiAttributes.join(', ')} through the API first`),
      );
    const text = renderRunbookStep(change.manual.runbook, step, change.credentials);
    for (const l of text.split('\n')) lines.push(c.magenta(`      ${l}`));
  }
  return lines.join('\n');
}

/** `Plan: 1 to create, …` — the closing line, also used by apply's confirmation. */
export function summaryLine(plan: Plan, c: Colors = pc.createColors(false)): string {
  const s = plan.summary;
  const parts = [
    `${s.create} to create`,
    `${s.update} to update`,
    `${s.replace} to replace`,
    `${s.deactivate} to deactivate`,
    `${s.delete} to delete`,
  ];
  if (s.import) parts.push(`${s.import} to import`);
  if (s.rotate) parts.push(`${s.rotate} to rotate`);
  if (s.manual) parts.push(`${s.manual} manual`);
  return c.bold(`Plan: ${parts.join(', ')}.`);
}
