import { describe, expect, it } from 'vitest';
import { accessGraphs, DRAW_ALL_UP_TO, FOLD_AFTER } from './access-graph.js';
import { graphMarks } from './graph-section.js';
import { inventoryFixture, manyAccountsFixture } from './report-fixtures.testing.js';

describe('accessGraphs', () => {
  const report = inventoryFixture();
  const graphs = accessGraphs(report.accounts, graphMarks(report.conflicts, report.findings), 'g');

  it('draws one graph per provider', () => {
    expect(graphs.map((g) => [g.provider, g.system, g.accounts, g.omitted])).toEqual([
      ['autotask', 'autotask', 1, 0],
      ['getint', 'getint', 1, 0],
      ['intacct-main', 'intacct', 4, 0],
    ]);
  });

  it('follows a connector into the account it signs in as, in that system’s cluster', () => {
    expect(graphs[1]?.dot).toMatchInlineSnapshot(`
      "digraph "g1" {
        graph [id="g1", rankdir="LR", nodesep="0.2", ranksep="0.5", fontname="Helvetica,Arial,sans-serif", bgcolor="transparent"];
        node [fontname="Helvetica,Arial,sans-serif", fontsize="11"];
        edge [fontname="Helvetica,Arial,sans-serif", fontsize="9", color="#374151"];
        subgraph "cluster_0" {
          graph [id="g1-c0", class="system", style="rounded", color="#9ca3af", label="getint"];
          "g1-n0" [id="g1-n0", class="account connector managed", tooltip="getint/Connection/intacct-sync", shape="box", style="rounded,filled", fillcolor="#dbeafe", color="#1e3a8a", penwidth="1", label="intacct-sync\\nConnection · connector · managed"];
        }
        subgraph "cluster_1" {
          graph [id="g1-c1", class="system", style="rounded", color="#9ca3af", label="intacct-main (intacct)"];
          "g1-n1" [id="g1-n1", class="account managed conflict", tooltip="intacct-main/User/svc-ap", shape="box", style="rounded,filled", fillcolor="#fecaca", color="#b91c1c", penwidth="2", label="svc-ap\\nUser · managed\\n[SoD conflict]"];
          "g1-n2" [id="g1-n2", class="via", tooltip="intacct-main/Role/AP Clerk", shape="ellipse", style="filled", fillcolor="#e0e7ff", color="#3730a3", label="AP Clerk\\nRole"];
          "g1-n3" [id="g1-n3", class="permission", shape="box", style="filled", fillcolor="#ffffff", color="#6b7280", penwidth="1", label="Accounts Payable/Bills add"];
        }
        "g1-n0" -> "g1-n1" [style="dashed", label="signs in as", class="connects"];
        "g1-n1" -> "g1-n2" [];
        "g1-n2" -> "g1-n3" [];
      }
      "
    `);
  });

  it('marks conflicting permissions and stale accounts, and folds a long permission list', () => {
    const intacct = graphs[2]?.dot;
    expect(intacct).toMatch(/class="account managed conflict".*\[SoD conflict\]/);
    expect(intacct).toMatch(
      /class="permission conflict".*label="Accounts Payable\/Payments approve\\n\[SoD conflict\]"/,
    );
    expect(intacct).toMatch(/class="account managed stale".*label="svc-gl\\nUser · managed\\n\[stale\]"/);
    expect(intacct).toContain(`label="+10 more permissions"`);
    expect(FOLD_AFTER).toBeLessThan(10);
  });

  it('keeps a conflicting permission out of the fold', () => {
    const marks = graphMarks(
      [
        {
          address: 'intacct-main/User/svc-gl',
          rule: 'gl-post-approve',
          pack: 'finance',
          message: 'posts and approves',
          severity: 'error',
          permissions: ['General Ledger/Journal entries add'],
        },
      ],
      [],
    );
    const dot = accessGraphs(report.accounts, marks, 'g')[2]?.dot;
    expect(dot).toContain('label="+9 more permissions"');
    expect(dot).toContain('label="General Ledger/Journal entries add\\n[SoD conflict]"');
  });

  it(`past ${DRAW_ALL_UP_TO} accounts of one provider, draws only the highlighted ones`, () => {
    const many = manyAccountsFixture(3 * (DRAW_ALL_UP_TO + 1));
    const stale = many.accounts.find((a) => a.provider === 'afas')?.address ?? '';
    const big = accessGraphs(
      many.accounts,
      graphMarks([], [{ rule: 'inventory.stale', severity: 'warning', address: stale, message: 'x' }]),
      'g',
    );
    expect(big.map((g) => [g.provider, g.accounts, g.omitted, g.dot === null])).toEqual([
      ['afas', 1, DRAW_ALL_UP_TO, false],
      ['autotask', 0, DRAW_ALL_UP_TO + 1, true],
      ['intacct-main', 0, DRAW_ALL_UP_TO + 1, true],
    ]);
    expect(big[0]?.dot).toContain('[stale]');
  });
});
