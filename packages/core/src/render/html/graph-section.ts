import type { InventoryAccount, InventoryConflict, InventoryFinding } from '../../inventory/types.js';
import { accessGraphs, DRAW_ALL_UP_TO, FOLD_AFTER, type GraphMarks } from './access-graph.js';
import { escapeHtml } from './escape.js';
import { dotToSvg } from './graph-svg.js';

/** The highlights of a report: conflicts in force by account, and the accounts found stale. */
export function graphMarks(conflicts: InventoryConflict[], findings: InventoryFinding[]): GraphMarks {
  const byAccount = new Map<string, InventoryConflict[]>();
  for (const c of conflicts) byAccount.set(c.address, [...(byAccount.get(c.address) ?? []), c]);
  return {
    conflicts: byAccount,
    stale: new Set(findings.filter((f) => f.rule === 'inventory.stale').map((f) => f.address)),
  };
}

const LEGEND = `<ul class="legend">
<li><span class="swatch"></span> account</li>
<li><span class="swatch via"></span> group or role</li>
<li><span class="swatch permission"></span> permission</li>
<li><span class="swatch conflict"></span> <span class="tag conflict">[SoD conflict]</span> holds permissions that must stay apart</li>
<li><span class="swatch stale"></span> <span class="tag stale">[stale]</span> not used for longer than the report's limit</li>
<li><span class="swatch dashed"></span> dashed: unmanaged or deactivated account, a connector signing in as an account, folded permissions</li>
</ul>`;

/**
 * "Access graph": the legend, then one SVG per provider, each account's path to its permissions
 * (account → groups/roles → permissions, through a connector into another system). Clicking an
 * account filters `table` to the rows that mention it.
 */
export async function graphSection(
  accounts: InventoryAccount[],
  marks: GraphMarks,
  idPrefix: string,
  table: string,
): Promise<string> {
  const out = [`<section id="graph" data-filters="${escapeHtml(table)}">`, '<h2>Access graph</h2>', LEGEND];
  out.push(
    `<p class="muted">One graph per provider. Past ${FOLD_AFTER} permissions under one account, group or role, the conflicting and escalating ones are drawn and the rest folded into one node (hover it for their names); the accounts table lists them all.</p>`,
  );
  if (accounts.length === 0) out.push('<p>No accounts.</p>');
  for (const g of accessGraphs(accounts, marks, idPrefix)) {
    const title = g.system === g.provider ? g.provider : `${g.provider} (${g.system})`;
    const total = g.accounts + g.omitted;
    out.push(
      `<h3>${escapeHtml(title)} <span class="muted">· ${total} account${total === 1 ? '' : 's'}</span></h3>`,
    );
    if (g.omitted > 0)
      out.push(
        `<p class="muted">${total} accounts are more than a graph shows legibly (${DRAW_ALL_UP_TO}): drawn are the ${g.accounts} with an SoD conflict or stale; the accounts table lists all.</p>`,
      );
    if (g.dot)
      out.push(`<div class="graph" data-provider="${escapeHtml(g.provider)}">${await dotToSvg(g.dot)}</div>`);
  }
  out.push('</section>');
  return out.join('\n');
}
