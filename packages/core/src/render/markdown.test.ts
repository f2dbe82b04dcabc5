import { describe, expect, it } from 'vitest';
import { summarizeChanges } from '../plan/summary.js';
import type { Finding, Plan, PlannedChange } from '../plan/types.js';
import { MARKDOWN_LIMIT, renderPlanMarkdown } from './markdown.js';

function change(i: number, over: Partial<PlannedChange> = {}): PlannedChange {
  const id = `WS_${String(i).padStart(5, '0')}`;
  return {
    index: i,
    address: `books/ServiceAccount/user-${i}`,
    provider: 'books',
    kind: 'ServiceAccount',
    action: 'update',
    reasons: [{ path: '/roles', rule: 'changed', message: 'roles changed' }],
    patch: [{ op: 'replace', path: '/roles', value: [{ ref: 'AP Sync' }] }],
    before: { id, roles: [{ ref: 'GL Read' }], password: '(sensitive)' },
    after: { id, roles: [{ ref: 'AP Sync' }], password: '(sensitive)' },
    execution: 'api',
    risk: 'medium',
    naturalKey: id,
    name: `user-${i}`,
    dependencies: [],
    dependsOn: [],
    ...over,
  };
}

function planOf(changes: PlannedChange[], extra: Partial<Plan> = {}): Plan {
  const summary = summarizeChanges(changes);
  return {
    formatVersion: 1,
    mode: 'normal',
    lineage: 'l',
    serial: 7,
    createdAt: '2026-12-05T00:00:00.000Z',
    summary,
    changes,
    drift: [],
    attestations: [],
    findings: [],
    permissions: [],
    diagnostics: [],
    stats: { apiCalls: 3, apiCallsByProvider: { books: 3 }, throttled: 0, refreshMs: 1, planMs: 1 },
    sources: ['m.yaml'],
    blockedReplacements: [],
    forget: [],
    accept: [],
    providers: [],
    ...extra,
  };
}

const finding = (over: Partial<Finding> = {}): Finding => ({
  policy: 'intacct.web-services-admin',
  severity: 'error',
  address: 'books/ServiceAccount/user-1',
  message: 'web services user WS_00001 has adminPrivileges full',
  file: 'm.yaml',
  line: 9,
  column: 20,
  ...over,
});

describe('renderPlanMarkdown', () => {
  it('puts the verdict first, then counts, red flags (policy errors, permission increases, destructive), permissions, findings, details', () => {
    const plan = planOf(
      [
        change(1),
        change(2, {
          action: 'deactivate',
          risk: 'high',
          reasons: [{ path: '', rule: 'removed', message: 'removed from the manifests' }],
        }),
      ],
      {
        permissions: [
          {
            address: 'books/ServiceAccount/user-1',
            provider: 'books',
            kind: 'ServiceAccount',
            before: ['general-ledger/account: list'],
            after: ['accounts-payable/bill: add'],
            gained: ['accounts-payable/bill: add'],
            lost: ['general-ledger/account: list'],
          },
        ],
        findings: [
          finding(),
          finding({
            policy: 'labels-required',
            severity: 'warning',
            address: 'books/ServiceAccount/user-2',
            message: 'has no labels.owner',
            excepted: { reason: 'legacy account | retiring in Q1', file: 'policy.yaml', line: 6 },
          }),
        ],
      },
    );
    expect(renderPlanMarkdown(plan)).toMatchInlineSnapshot(`
      "**roster plan is blocked** by 1 policy finding(s) of severity error: fix them or add an exception with its reason before applying 2 change(s).

      | action | count |
      |---|---:|
      | update | 1 |
      | deactivate | 1 |
      | **total** | 2 |

      ### ⚠️ Review first

      - **policy intacct.web-services-admin** \`books/ServiceAccount/user-1\` — web services user WS_00001 has adminPrivileges full (m.yaml:9)
      - **permission increase** \`books/ServiceAccount/user-1\` gains \`accounts-payable/bill: add\`
      - **update** \`books/ServiceAccount/user-1\` (medium risk) — roles changed
      - **deactivate** \`books/ServiceAccount/user-2\` (high risk) — removed from the manifests

      ### Effective permissions

      What each account can do before → after this plan (security levels and roles, groups, connectors; across systems).

      | account | gains | loses |
      |---|---|---|
      | \`books/ServiceAccount/user-1\` | \`accounts-payable/bill: add\` | \`general-ledger/account: list\` |

      ### Policy findings

      | severity | rule | resource | finding |
      |---|---|---|---|
      | **error** | \`intacct.web-services-admin\` | \`books/ServiceAccount/user-1\` | web services user WS_00001 has adminPrivileges full (m.yaml:9) |
      | ~~warning~~ excepted | \`labels-required\` | \`books/ServiceAccount/user-2\` | has no labels.owner (m.yaml:9) — _excepted: legacy account \\| retiring in Q1_ |

      ### Changes

      <details>
      <summary><code>books/ServiceAccount/user-1</code> will be updated in place</summary>

      - roles changed

      \`\`\`diff
      @@ -1,4 +1,4 @@
       id: WS_00001
       password: (sensitive)
       roles:
      -  - ref: GL Read
      +  - ref: AP Sync
      \`\`\`
      </details>
      <details>
      <summary><code>books/ServiceAccount/user-2</code> will be deactivated</summary>

      - removed from the manifests

      \`\`\`diff
      @@ -1,4 +1,4 @@
       id: WS_00002
       password: (sensitive)
       roles:
      -  - ref: GL Read
      +  - ref: AP Sync
      \`\`\`
      </details>

      <sub>roster plan · state serial 7 · 3 API calls</sub>
      "
    `);
  });

  it('stays under the comment limit on a 2,000-resource plan, says what it left out, and never shows a secret', () => {
    const changes = Array.from({ length: 2000 }, (_, i) => change(i));
    const plan = planOf(changes, {
      permissions: changes.map((c) => ({
        address: c.address,
        provider: 'books',
        kind: 'ServiceAccount',
        before: ['general-ledger/account: list'],
        after: ['accounts-payable/bill: add', 'accounts-payable/bill: edit'],
        gained: ['accounts-payable/bill: add', 'accounts-payable/bill: edit'],
        lost: ['general-ledger/account: list'],
      })),
      findings: changes.map((c) =>
        finding({ address: c.address, severity: 'warning', policy: 'labels-required' }),
      ),
    });
    const md = renderPlanMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md.split('\n')[0]).toBe('**roster will make 2000 change(s)** (2000 to update).');
    expect(md).toContain('| update | 2000 |');
    expect(md).toMatch(/_…and \d+ more red flag\(s\): see `roster plan --format json`\._/);
    expect(md).toMatch(/_…and \d+ more account\(s\)/);
    expect(md).toMatch(/_…and \d+ more finding\(s\)/);
    expect(md).toMatch(
      /_\d+ more change\(s\) not shown: the comment would exceed GitHub's 65,536-character limit/,
    );
    expect(md).toContain('<sub>roster plan · state serial 7 · 3 API calls</sub>');
    expect(md).not.toMatch(/password: (?!\(sensitive\))/);
  });
});
