import { escapeHtml } from './escape.js';

/** A cell: its HTML (already escaped by the caller) and the key the column sorts by. */
export interface Cell {
  html: string;
  sort?: string | number;
}

export interface Column {
  title: string;
  /** Sorted as numbers (counts, days) rather than as text. */
  numeric?: boolean;
}

export interface Row {
  cells: Cell[];
  /** `data-<key>` attributes the filter chips match (e.g. `system`, `status`). */
  data?: Record<string, string>;
  /** Row classes (`conflict`, `stale`): a coloured edge beside the text markers in the cells. */
  classes?: string[];
}

/** A cell of plain text from the data. */
export function textCell(value: string | number | null | undefined, sort?: string | number): Cell {
  const text = value === null || value === undefined ? '' : String(value);
  return { html: escapeHtml(text), sort: sort ?? (typeof value === 'number' ? value : text.toLowerCase()) };
}

/**
 * A table whose headers sort it (a button per header, `aria-sort` on the sorted one) and, given
 * chips, a filter box and chips above it (page-script.ts drives both).
 */
export function sortableTable(
  id: string,
  columns: Column[],
  rows: Row[],
  chips: Array<{ key: string; label: string; values: string[] }> = [],
): string {
  const out: string[] = [];
  out.push(`<div class="controls" data-filter-for="${escapeHtml(id)}">`);
  out.push(
    `<input type="search" placeholder="Filter rows…" aria-label="Filter ${escapeHtml(id)}"> <span class="count"></span>`,
  );
  for (const group of chips) {
    if (group.values.length < 2) continue;
    out.push(`<span class="muted">${escapeHtml(group.label)}:</span>`);
    for (const v of group.values)
      out.push(
        `<button type="button" class="chip" aria-pressed="false" data-key="${escapeHtml(group.key)}" data-value="${escapeHtml(v)}">${escapeHtml(v)}</button>`,
      );
  }
  out.push('</div>');
  out.push(`<table class="report" id="${escapeHtml(id)}">`);
  out.push(
    `<thead><tr>${columns
      .map(
        (c) =>
          `<th${c.numeric ? ' data-type="number"' : ''}><button type="button">${escapeHtml(c.title)}</button></th>`,
      )
      .join('')}</tr></thead>`,
  );
  out.push('<tbody>');
  for (const row of rows) {
    const attrs = Object.entries(row.data ?? {})
      .map(([k, v]) => ` data-${escapeHtml(k)}="${escapeHtml(v)}"`)
      .join('');
    const cls = row.classes && row.classes.length > 0 ? ` class="${escapeHtml(row.classes.join(' '))}"` : '';
    const cells = row.cells
      .map(
        (c) =>
          `<td${c.sort === undefined ? '' : ` data-sort="${escapeHtml(String(c.sort))}"`}>${c.html}</td>`,
      )
      .join('');
    out.push(`<tr${cls}${attrs}>${cells}</tr>`);
  }
  out.push('</tbody></table>');
  return out.join('\n');
}
