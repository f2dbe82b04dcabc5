import { describe, expect, it } from 'vitest';
import { summarizeChanges } from '../plan/summary.js';
import type { Finding, Plan, PlannedChange } from '../plan/types.js';
import type { CommentContext } from './comment.js';
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
      "<!-- roster-plan -->
      ### roster plan · blocked: 1 policy finding

      **roster plan is blocked** by 1 policy finding of severity error: fix it or add an exception with its reason before applying 2 changes.

      ### ⚠️ Review first

      - **policy intacct.web-services-admin** \`books/ServiceAccount/user-1\` — web services user WS_00001 has adminPrivileges full (m.yaml:9)
      - **permission increase** \`books/ServiceAccount/user-1\` gains 1 permission: accounts-payable/bill: add
      - **update** \`books/ServiceAccount/user-1\` (medium risk) — roles changed
      - **deactivate** \`books/ServiceAccount/user-2\` (high risk) — removed from the manifests

      ### Effective permissions

      What each account can do before → after this plan (security levels and roles, groups, connectors; across systems).

      **\`books/ServiceAccount/user-1\`** gains 1 permission, loses 1 permission:

      - gains accounts-payable/bill: add
      - loses general-ledger/account: list

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
    const md = renderPlanMarkdown(plan, { context: { projectDir: 'infra/books', workspace: 'prod' } });
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(md.split('\n').slice(0, 4)).toEqual([
      '<!-- roster-plan dir=infra/books workspace=prod -->',
      '### roster plan · `infra/books` · workspace `prod` · 2,000 changes (2,000 to update)',
      '',
      '**roster will make 2,000 changes**.',
    ]);
    expect(md).toMatch(/_…and \d+ more red flags: see `roster plan --format json`\._/);
    expect(md).toMatch(/_…and \d+ more accounts: /);
    expect(md).toMatch(/_…and \d+ more findings: /);
    expect(md).toMatch(
      /_\d+ more changes are not shown: the comment would exceed GitHub's 65,536-character limit/,
    );
    // Each account's entry is kept or left out whole: every <details> opened is closed.
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    expect(md).toContain('<sub>roster plan · state serial 7 · 3 API calls</sub>');
    expect(md).not.toMatch(/password: (?!\(sensitive\))/);
  });
});

describe('renderPlanMarkdown as a pull-request comment reviewers want', () => {
  const context: CommentContext = {
    projectDir: 'infra/books',
    workspace: 'prod',
    paths: { cwd: '/ci/repo', project: '/ci/repo/infra/books' },
    runUrl: 'https://gitlab.example.com/acme/infra/-/jobs/7',
    apply: { command: 'roster apply plan.json', savedPlan: true },
  };
  const level = (over: Partial<PlannedChange> = {}): PlannedChange =>
    change(1, {
      address: 'books/SecurityLevel/ap-sync',
      kind: 'SecurityLevel',
      reasons: [
        {
          path: '/permissions',
          rule: 'changed',
          message:
            'permissions: {"ap/Bills":["add","list"],"Contacts":"view"} → {"ap/Bills":["add","list","approve"],"gl/Journal":["post"]}',
        },
      ],
      before: { name: 'AP Sync', permissions: { 'ap/Bills': ['add', 'list'], Contacts: 'view' } },
      after: {
        name: 'AP Sync',
        permissions: { 'ap/Bills': ['add', 'list', 'approve'], 'gl/Journal': ['post'] },
      },
      ...over,
    });
  const gained = Array.from({ length: 9 }, (_, i) => `area-${i}/doc: add`);

  it('names the project and workspace with the counts, says how to apply, links the CI run, lists permissions', () => {
    const plan = planOf([level()], {
      permissions: [
        {
          address: 'books/ServiceAccount/user-1',
          provider: 'books',
          kind: 'ServiceAccount',
          before: ['Contacts: view'],
          after: ['ap/Bills: add', 'ap/Bills: approve'],
          gained: ['ap/Bills: add', 'ap/Bills: approve'],
          lost: ['Contacts: view'],
        },
        {
          address: 'books/ServiceAccount/user-2',
          provider: 'books',
          kind: 'ServiceAccount',
          before: [],
          after: gained,
          gained,
          lost: [],
        },
      ],
      findings: [finding({ severity: 'warning', policy: 'labels-required', file: 'infra/books/m.yaml' })],
    });
    const md = renderPlanMarkdown(plan, { context });
    expect(md).toMatchInlineSnapshot(`
      "<!-- roster-plan dir=infra/books workspace=prod -->
      ### roster plan · \`infra/books\` · workspace \`prod\` · 1 change (1 to update)

      **roster will make 1 change**.

      **To apply:** \`roster apply plan.json\` applies exactly this plan; it refuses if the systems or the state changed since the plan was made.

      CI run: https://gitlab.example.com/acme/infra/-/jobs/7

      ### ⚠️ Review first

      - **permission increase** \`books/ServiceAccount/user-1\` gains 2 permissions: ap/Bills: add, approve
      - **permission increase** \`books/ServiceAccount/user-2\` gains 9 permissions: area-0/doc: add; area-1/doc: add; area-2/doc: add (and 6 more under Effective permissions)
      - **update** \`books/SecurityLevel/ap-sync\` (medium risk) — permissions: 3 entries changed

      ### Effective permissions

      What each account can do before → after this plan (security levels and roles, groups, connectors; across systems).

      **\`books/ServiceAccount/user-1\`** gains 2 permissions, loses 1 permission:

      - gains ap/Bills: add, approve
      - loses Contacts: view

      <details>
      <summary><code>books/ServiceAccount/user-2</code> gains 9 permissions</summary>

      - gains area-0/doc: add
      - gains area-1/doc: add
      - gains area-2/doc: add
      - gains area-3/doc: add
      - gains area-4/doc: add
      - gains area-5/doc: add
      - gains area-6/doc: add
      - gains area-7/doc: add
      - gains area-8/doc: add

      </details>

      ### Policy findings

      | severity | rule | resource | finding |
      |---|---|---|---|
      | warning | \`labels-required\` | \`books/ServiceAccount/user-1\` | web services user WS_00001 has adminPrivileges full (m.yaml:9) |

      ### Changes

      <details>
      <summary><code>books/SecurityLevel/ap-sync</code> will be updated in place</summary>

      - \`permissions\`:
        - ap/Bills: add, list → add, list, approve
        - added gl/Journal: post
        - removed Contacts: view

      \`\`\`diff
      @@ -1,6 +1,8 @@
       name: AP Sync
       permissions:
      -  Contacts: view
         ap/Bills:
           - add
           - list
      +    - approve
      +  gl/Journal:
      +    - post
      \`\`\`
      </details>

      <sub>roster plan · state serial 7 · 3 API calls</sub>
      "
    `);
    expect(md).not.toContain('{"ap/Bills"');
  });

  it('without a CI run there is no run line; a plan made again says so, and a pipeline note replaces the sentence', () => {
    const { runUrl: _, ...local } = context;
    const plan = planOf([level(), change(2)]);
    const again = renderPlanMarkdown(plan, {
      context: { ...local, apply: { command: 'roster apply -f infra/books', savedPlan: false } },
    });
    expect(again).not.toContain('CI run');
    expect(again).toContain(
      '**To apply:** `roster apply -f infra/books` plans again and applies what you confirm; save the plan with `--out FILE` and run `roster apply FILE` to apply exactly this one.',
    );
    expect(again.split('\n')[1]).toBe(
      '### roster plan · `infra/books` · workspace `prod` · 2 changes (2 to update)',
    );
    const noted = renderPlanMarkdown(plan, {
      context: {
        ...local,
        apply: { command: 'roster apply plan.json', savedPlan: true, note: 'Merging applies this plan.' },
      },
    });
    expect(noted).toContain('**To apply:** Merging applies this plan. By hand: `roster apply plan.json`.');
  });

  it('says nothing about applying a plan that failed or has no changes, with real plurals', () => {
    const failed = planOf([], {
      diagnostics: [
        {
          severity: 'error',
          code: 'state.missing',
          message:
            'no state at /ci/repo/infra/books/.roster/state.json, but the manifests declare 1 resource',
        },
        {
          severity: 'error',
          code: 'manifest.schema',
          message: 'bad',
          file: 'infra/books/m.yaml',
          line: 3,
          column: 5,
        },
      ],
    });
    const md = renderPlanMarkdown(failed, { context });
    expect(md.split('\n').slice(1, 4)).toEqual([
      '### roster plan · `infra/books` · workspace `prod` · failed: 2 errors',
      '',
      '**roster plan failed** with 2 errors: nothing can be applied until they are fixed.',
    ]);
    expect(md).not.toContain('To apply');
    // Paths relative to the project: no directory of the CI machine.
    expect(md).toContain('m.yaml:3:5: error[manifest.schema]: bad');
    expect(md).toContain('error[state.missing]: no state at .roster/state.json');
    expect(md).not.toContain('/ci/repo');
    const one = renderPlanMarkdown(planOf([], { diagnostics: [failed.diagnostics[1]!] }), { context });
    expect(one).toContain('**roster plan failed** with 1 error: nothing can be applied until it is fixed.');
    const none = renderPlanMarkdown(planOf([]), { context });
    expect(none.split('\n')[1]).toBe('### roster plan · `infra/books` · workspace `prod` · no changes');
    expect(none).not.toContain('To apply');
    const single = renderPlanMarkdown(planOf([change(1, { action: 'delete', risk: 'high' })]), { context });
    expect(single).toContain('### roster plan · `infra/books` · workspace `prod` · 1 change (1 to delete)');
    expect(single).toContain('**roster will make 1 change**, a destructive one.');
    expect(single).toContain('<sub>roster plan · state serial 7 · 3 API calls</sub>');
  });

  it('heads a refresh-only plan with what it records, and how to apply it', () => {
    const drift: Plan['drift'] = [
      {
        address: 'books/ServiceAccount/user-1',
        provider: 'books',
        kind: 'ServiceAccount',
        status: 'deleted',
        attributes: [],
      },
    ];
    const md = renderPlanMarkdown(planOf([], { mode: 'refresh-only', drift }), {
      context: {
        ...context,
        apply: { command: 'roster apply --refresh-only -f infra/books', savedPlan: false },
      },
    });
    expect(md.split('\n').slice(1, 6)).toEqual([
      '### roster plan · `infra/books` · workspace `prod` · refresh only: 1 resource changed outside roster',
      '',
      '**Applying this refresh-only plan records in state what the systems have for 1 resource**; it changes nothing in the systems.',
      '',
      '**To apply:** `roster apply --refresh-only -f infra/books` plans again and applies what you confirm; save the plan with `--out FILE` and run `roster apply FILE` to apply exactly this one.',
    ]);
  });
});
