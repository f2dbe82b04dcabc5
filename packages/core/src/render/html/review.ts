import type { ReviewEnactment, ReviewReport } from '../../review/types.js';
import { escapeHtml } from './escape.js';
import { graphMarks, graphSection } from './graph-section.js';
import { accountCell, conflictsTable, permissionsCell } from './inventory.js';
import { htmlPage } from './page.js';
import { type Cell, type Row, sortableTable, textCell } from './table.js';

type Item = ReviewReport['items'][number];

function decisionCell(item: Item): Cell {
  if (!item.decision) return { html: '<span class="tag conflict">[missing]</span>', sort: 'missing' };
  const d = item.decision.decision;
  return { html: `<span class="tag ${d === 'keep' ? 'plain' : 'stale'}">${escapeHtml(d)}</span>`, sort: d };
}

function enactmentCell(e: ReviewEnactment | undefined): Cell {
  if (!e) return { html: '', sort: '' };
  const commits = e.commits.map(
    (c) =>
      `<li>commit <code>${escapeHtml(c.sha.slice(0, 12))}</code> ${escapeHtml(c.date.slice(0, 10))} ${escapeHtml(c.author)}: ${escapeHtml(c.subject)}</li>`,
  );
  const applies = e.applies.map(
    (a) =>
      `<li>apply ${escapeHtml(a.runId)}${a.serial === undefined ? '' : ` (serial ${a.serial})`} ${escapeHtml(a.at)} by ${escapeHtml(a.by)}: ${escapeHtml(a.action)} ${escapeHtml(a.outcome)}</li>`,
  );
  const list =
    commits.length + applies.length > 0 ? `<ul class="plain">${[...commits, ...applies].join('')}</ul>` : '';
  const cls = e.status === 'pending' ? 'conflict' : 'plain';
  return { html: `<span class="tag ${cls}">${escapeHtml(e.status)}</span>${list}`, sort: e.status };
}

function itemRow(item: Item, marks: ReturnType<typeof graphMarks>): Row {
  const conflict = (marks.conflicts.get(item.address) ?? []).some((c) => !c.excepted);
  const stale = marks.stale.has(item.address);
  const name = item.address.split('/').slice(2).join('/') || item.address;
  return {
    classes: [conflict ? 'conflict' : '', stale ? 'stale' : ''].filter(Boolean),
    data: {
      system: item.system,
      decision: item.decision?.decision ?? 'missing',
      enactment: item.enactment?.status ?? 'none',
    },
    cells: [
      accountCell(name, item.address, { conflict, stale }),
      textCell(item.system === item.provider ? item.provider : `${item.provider} (${item.system})`),
      textCell(item.status),
      textCell(item.owner ?? '—'),
      { html: item.roles.map(escapeHtml).join('<br>'), sort: item.roles.join(', ').toLowerCase() },
      permissionsCell(item.permissions.map((name) => ({ name }))),
      textCell(item.lastUsedAt ? item.lastUsedAt.slice(0, 10) : '', item.lastUsedAt ?? ''),
      decisionCell(item),
      textCell(item.decision?.reviewer ?? ''),
      textCell(item.decision?.at ?? ''),
      textCell(item.decision?.comment ?? ''),
      enactmentCell(item.enactment),
    ],
  };
}

const ITEM_COLUMNS = [
  { title: 'Account' },
  { title: 'System' },
  { title: 'Status' },
  { title: 'Owner' },
  { title: 'Roles' },
  { title: 'Permissions at start', numeric: true },
  { title: 'Last used' },
  { title: 'Decision' },
  { title: 'Reviewer' },
  { title: 'Date' },
  { title: 'Comment' },
  { title: 'Enactment' },
];

const distinct = (values: string[]) => [...new Set(values)].sort();

function header(report: ReviewReport): string[] {
  const t = report.totals;
  return [
    '<header>',
    `<h1>Access review ${escapeHtml(report.period)}</h1>`,
    `<p class="meta">Started ${escapeHtml(report.startedAt)} by ${escapeHtml(report.startedBy)} · report generated ${escapeHtml(report.generatedAt)}</p>`,
    `<p class="meta">Population: ${report.population.size} accounts · hash <code>${escapeHtml(report.population.hash)}</code> · refreshed data <code>${escapeHtml(report.population.refreshHash)}</code> · ${
      report.population.intact
        ? 'intact since the start'
        : '<span class="tag conflict">[changed after the start]</span>'
    }</p>`,
    '<ul class="summary">',
    `<li><b>${t.keep}</b>keep</li>`,
    `<li><b>${t.revoke}</b>revoke</li>`,
    `<li><b>${t.change}</b>change</li>`,
    `<li><b>${t.missing}</b>missing</li>`,
    `<li><b>${report.openExceptions.length}</b>open exceptions</li>`,
    `<li><b>${report.problems.length}</b>problems</li>`,
    '</ul>',
    '</header>',
  ];
}

/**
 * `roster review report --format html`: the evidence of one access review (period, population and
 * its hash, reviewers, decisions and what enacted them, open exceptions, problems) and the access
 * graph of the accounts as they are now, as one file.
 */
export async function renderReviewHtml(report: ReviewReport): Promise<string> {
  const marks = graphMarks(report.conflicts, report.findings ?? []);
  const body = header(report);
  body.push('<section id="reviewers"><h2>Reviewers</h2>');
  body.push(
    report.reviewers.length === 0
      ? '<p>No decisions yet.</p>'
      : sortableTable(
          'reviewers-table',
          [
            { title: 'Reviewer' },
            { title: 'Decisions', numeric: true },
            { title: 'First' },
            { title: 'Last' },
          ],
          report.reviewers.map((r) => ({
            cells: [textCell(r.name), textCell(r.decisions), textCell(r.first), textCell(r.last)],
          })),
        ),
    '</section>',
  );
  if (report.notes.length > 0) {
    body.push('<section id="notes"><h2>Notes on the evidence</h2><ul>');
    for (const n of report.notes) body.push(`<li>${escapeHtml(n)}</li>`);
    body.push('</ul></section>');
  }
  if (report.problems.length > 0) {
    body.push('<section id="problems"><h2>Problems</h2><ul>');
    for (const p of report.problems)
      body.push(
        `<li>${escapeHtml(`${p.code}${p.address ? ` ${p.address}` : ''}: ${p.message}${p.file ? ` (${p.file}:${p.line ?? 1})` : ''}`)}</li>`,
      );
    body.push('</ul></section>');
  }
  body.push('<section id="items"><h2>Decisions</h2>');
  body.push(
    sortableTable(
      'items-table',
      ITEM_COLUMNS,
      report.items.map((i) => itemRow(i, marks)),
      [
        { key: 'system', label: 'System', values: distinct(report.items.map((i) => i.system)) },
        {
          key: 'decision',
          label: 'Decision',
          values: distinct(report.items.map((i) => i.decision?.decision ?? 'missing')),
        },
        {
          key: 'enactment',
          label: 'Enactment',
          values: distinct(report.items.map((i) => i.enactment?.status ?? 'none')),
        },
      ],
    ),
    '</section>',
  );
  body.push('<section id="exceptions"><h2>Open exceptions</h2>');
  body.push(
    report.openExceptions.length === 0
      ? '<p>None.</p>'
      : sortableTable(
          'exceptions-table',
          [{ title: 'Account' }, { title: 'Kind' }, { title: 'Detail' }],
          report.openExceptions.map((x) => ({
            cells: [
              { html: `<code>${escapeHtml(x.address)}</code>`, sort: x.address.toLowerCase() },
              textCell(x.kind),
              textCell(x.detail),
            ],
          })),
        ),
    '</section>',
  );
  body.push('<section id="conflicts"><h2>Segregation-of-duties conflicts now</h2>');
  body.push(conflictsTable('conflicts-table', report.conflicts), '</section>');
  body.push(await graphSection(report.current, marks, 'rev', 'items-table'));
  return htmlPage(`roster access review ${report.period}`, body.join('\n'));
}
