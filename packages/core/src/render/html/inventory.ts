import type { InventoryAccount, InventoryReport } from '../../inventory/types.js';
import { escapeHtml } from './escape.js';
import { graphMarks, graphSection } from './graph-section.js';
import { htmlPage } from './page.js';
import { type Cell, type Row, sortableTable, textCell } from './table.js';

const tag = (cls: string, text: string) => `<span class="tag ${cls}">${escapeHtml(text)}</span>`;

/** The account cell: name, address, and the text markers the row's colour repeats. */
export function accountCell(
  name: string,
  address: string,
  flags: { conflict?: boolean; stale?: boolean; noOwner?: boolean },
): Cell {
  const tags = [
    flags.conflict ? tag('conflict', '[SoD conflict]') : '',
    flags.stale ? tag('stale', '[stale]') : '',
    flags.noOwner ? tag('plain', '[no owner]') : '',
  ].join('');
  return {
    html: `<b>${escapeHtml(name)}</b><br><code>${escapeHtml(address)}</code>${tags ? `<br>${tags}` : ''}`,
    sort: address.toLowerCase(),
  };
}

/** Permission count, with the list (and the path each comes through) folded below it. */
export function permissionsCell(
  permissions: Array<{ name: string; via?: string[]; escalates?: boolean }>,
): Cell {
  if (permissions.length === 0) return { html: '<span class="muted">none</span>', sort: 0 };
  const items = permissions.map((p) => {
    const via =
      p.via && p.via.length > 0 ? ` <span class="muted">via ${p.via.map(escapeHtml).join(' → ')}</span>` : '';
    return `<li>${escapeHtml(p.name)}${p.escalates ? ` ${tag('plain', 'escalates')}` : ''}${via}</li>`;
  });
  return {
    html: `<details><summary>${permissions.length}</summary><ul class="plain">${items.join('')}</ul></details>`,
    sort: permissions.length,
  };
}

function lastUsedCell(a: InventoryAccount): Cell {
  if (!a.lastUsed.at) return { html: '<span class="muted">never recorded</span>', sort: '' };
  const source =
    a.lastUsed.source === 'roster-test'
      ? 'last roster test sign-in'
      : a.lastUsed.field
        ? `system: ${a.lastUsed.field}`
        : 'system';
  return {
    html: `${escapeHtml(a.lastUsed.at.slice(0, 10))}<br><span class="muted">${escapeHtml(source)}</span>`,
    sort: a.lastUsed.at,
  };
}

function accountRow(a: InventoryAccount, report: InventoryReport, marks: ReturnType<typeof graphMarks>): Row {
  const conflict = (marks.conflicts.get(a.address) ?? []).some((c) => !c.excepted);
  const stale = marks.stale.has(a.address);
  const noOwner = report.findings.some((f) => f.rule === 'inventory.no-owner' && f.address === a.address);
  const system = a.system === a.provider ? a.provider : `${a.provider} (${a.system})`;
  return {
    classes: [conflict ? 'conflict' : '', stale ? 'stale' : ''].filter(Boolean),
    data: { system: a.system, status: a.status },
    cells: [
      accountCell(a.name, a.address, { conflict, stale, noOwner }),
      textCell(system),
      textCell(a.role === 'connector' ? `${a.kind} (connector)` : a.kind),
      textCell(a.status),
      textCell(a.owner ?? '—'),
      textCell(a.backupOwner ?? '—'),
      textCell(a.purpose ?? ''),
      { html: a.roles.map(escapeHtml).join('<br>'), sort: a.roles.join(', ').toLowerCase() },
      permissionsCell(a.permissions),
      lastUsedCell(a),
      textCell(a.credentials.ageDays, a.credentials.ageDays ?? -1),
      textCell(a.credentials.rotationDue ?? ''),
      textCell(
        a.attestation ? `${a.attestation.ageDays} (${a.attestation.by})` : '',
        a.attestation?.ageDays ?? -1,
      ),
      textCell(a.drift),
    ],
  };
}

const ACCOUNT_COLUMNS = [
  { title: 'Account' },
  { title: 'System' },
  { title: 'Kind' },
  { title: 'Status' },
  { title: 'Owner' },
  { title: 'Backup owner' },
  { title: 'Purpose' },
  { title: 'Roles' },
  { title: 'Permissions', numeric: true },
  { title: 'Last used' },
  { title: 'Credential age (days)', numeric: true },
  { title: 'Rotation due' },
  { title: 'Attested (days ago)', numeric: true },
  { title: 'Drift' },
];

/** The SoD conflicts of a report as a table (excepted ones with their reason). */
export function conflictsTable(id: string, conflicts: InventoryReport['conflicts']): string {
  if (conflicts.length === 0) return '<p>No SoD conflicts.</p>';
  const rows: Row[] = conflicts.map((c) => ({
    classes: c.excepted ? [] : ['conflict'],
    cells: [
      { html: `<code>${escapeHtml(c.address)}</code>`, sort: c.address.toLowerCase() },
      textCell(`${c.pack}/${c.rule}`),
      textCell(c.excepted ? 'excepted' : c.severity),
      { html: c.permissions.map(escapeHtml).join('<br>'), sort: c.permissions.join(', ').toLowerCase() },
      textCell(
        c.excepted
          ? `${c.message} — excepted at ${c.excepted.file}:${c.excepted.line}: ${c.excepted.reason}`
          : c.message,
      ),
    ],
  }));
  return sortableTable(
    id,
    [
      { title: 'Account' },
      { title: 'Rule' },
      { title: 'Severity' },
      { title: 'Permissions' },
      { title: 'Why' },
    ],
    rows,
  );
}

const distinct = (values: string[]) => [...new Set(values)].sort();

/**
 * `roster inventory --format html`: summary, findings, SoD conflicts, the access graph and the
 * accounts table (sortable, filtered by text and by system/status chips), as one file.
 */
export async function renderInventoryHtml(report: InventoryReport): Promise<string> {
  const marks = graphMarks(report.conflicts, report.findings);
  const count = (s: string) => report.accounts.filter((a) => a.status === s).length;
  const inForce = report.conflicts.filter((c) => !c.excepted).length;
  const body: string[] = [
    '<header>',
    '<h1>Inventory of service accounts</h1>',
    `<p class="meta">Refreshed ${escapeHtml(report.generatedAt)} · stale after ${report.staleAfterDays} days without use</p>`,
    '<ul class="summary">',
    `<li><b>${report.accounts.length}</b>accounts</li>`,
    `<li><b>${count('managed')}</b>managed</li>`,
    `<li><b>${count('unmanaged')}</b>unmanaged</li>`,
    `<li><b>${count('deactivated')}</b>deactivated</li>`,
    `<li><b>${inForce}</b>SoD conflicts</li>`,
    `<li><b>${marks.stale.size}</b>stale</li>`,
    `<li><b>${report.findings.filter((f) => f.rule === 'inventory.no-owner').length}</b>without owner</li>`,
    '</ul>',
    '</header>',
    '<section id="findings"><h2>Findings</h2>',
  ];
  if (report.findings.length === 0) body.push('<p>No findings.</p>');
  else
    body.push(
      sortableTable(
        'findings-table',
        [
          { title: 'Rule' },
          { title: 'Severity' },
          { title: 'Account' },
          { title: 'Finding' },
          { title: 'Where' },
        ],
        report.findings.map((f) => ({
          classes: f.rule === 'inventory.stale' ? ['stale'] : [],
          cells: [
            textCell(f.rule),
            textCell(f.severity),
            { html: `<code>${escapeHtml(f.address)}</code>`, sort: f.address.toLowerCase() },
            textCell(f.message),
            textCell(f.file ? `${f.file}:${f.line ?? 1}:${f.column ?? 1}` : ''),
          ],
        })),
      ),
    );
  body.push('</section>', '<section id="conflicts"><h2>Segregation-of-duties conflicts</h2>');
  body.push(conflictsTable('conflicts-table', report.conflicts), '</section>');
  body.push(await graphSection(report.accounts, marks, 'inv', 'accounts-table'));
  body.push('<section id="accounts"><h2>Accounts</h2>');
  body.push(
    sortableTable(
      'accounts-table',
      ACCOUNT_COLUMNS,
      report.accounts.map((a) => accountRow(a, report, marks)),
      [
        { key: 'system', label: 'System', values: distinct(report.accounts.map((a) => a.system)) },
        { key: 'status', label: 'Status', values: distinct(report.accounts.map((a) => a.status)) },
      ],
    ),
  );
  body.push('</section>');
  if (report.diagnostics.length > 0) {
    body.push('<section id="diagnostics"><h2>Diagnostics</h2><ul>');
    for (const d of report.diagnostics)
      body.push(
        `<li>${escapeHtml(`${d.severity}[${d.code}]: ${d.message}${d.file ? ` (${d.file})` : ''}`)}</li>`,
      );
    body.push('</ul></section>');
  }
  return htmlPage('roster inventory', body.join('\n'));
}
