import { describe, expect, it } from 'vitest';
import { ALL_DRIFT_CLASSES } from '../drift/classes.js';
import { parseIgnoreFile } from '../drift/ignore-file.js';
import { buildDriftReport, type DriftReport } from '../drift/report.js';
import { obj, plan, remote, stateWith, unmanagedAccount } from '../plan/fixtures.testing.js';
import type { CommentContext } from './comment.js';
import { renderDriftMarkdown, renderDriftText } from './drift.js';

function driftPlan() {
  const a = obj('7', { id: 'WS_A', status: 'active' });
  const gone = obj('9', { id: 'WS_GONE', status: 'active' });
  const state = stateWith('p/Account/a', a);
  return plan({
    mode: 'refresh-only',
    state: { ...state, resources: { ...state.resources, ...stateWith('p/Account/gone', gone).resources } },
    remote: remote('Account', [
      obj('7', { id: 'WS_A', status: 'locked' }, { modifiedBy: 'jdoe', modifiedAt: '2026-11-01T10:00:00Z' }),
    ]),
  });
}

const hand = unmanagedAccount('12', 'WS_HAND', {
  attributes: { id: 'WS_HAND', status: 'active' },
  modifiedBy: 'jdoe',
});

describe('renderDriftText', () => {
  it('shows each class under its heading, then what was found', () => {
    const report = buildDriftReport({ plan: driftPlan(), unmanaged: [hand], classes: ALL_DRIFT_CLASSES });
    expect(renderDriftText(report, { color: false })).toMatchInlineSnapshot(`
      "Changed outside roster:

        # p/Account/a was changed outside roster by jdoe at 2026-11-01T10:00:00Z
            ~ status: "active" → "locked"

      Deleted outside roster:

        # p/Account/gone was deleted outside roster

      Unmanaged (in the system, in no manifest):

        + p/Account/WS_HAND (id 12), last changed by jdoe
            id: "WS_HAND"
            status: "active"

      Found: 1 changed, 1 deleted, 1 unmanaged.
      "
    `);
  });

  it('says no drift, and still names what the baseline accepted and what was not checked', () => {
    const report = buildDriftReport({
      plan: driftPlan(),
      unmanaged: [hand],
      classes: { changed: true, deleted: false, unmanaged: true },
      baseline: parseIgnoreFile('p/Account/a status\nunmanaged:p/Account/*\n', '.rosterignore'),
    });
    expect(renderDriftText(report, { color: false })).toMatchInlineSnapshot(`
      "No drift. The systems match the state.
      2 accepted by .rosterignore (1 changed attribute, 1 unmanaged).
      Not checked: deleted (--no-deleted).
      "
    `);
  });
});

describe('renderDriftMarkdown', () => {
  it('puts the verdict and a table of the classes first, then a section per class', () => {
    const report = buildDriftReport({
      plan: driftPlan(),
      unmanaged: [hand],
      classes: ALL_DRIFT_CLASSES,
      baseline: parseIgnoreFile('unmanaged:p/Account/WS_OTHER\n', '.rosterignore'),
    });
    expect(renderDriftMarkdown(report)).toMatchInlineSnapshot(`
      "<!-- roster-drift -->
      ### roster drift · 2 resources drifted, 1 unmanaged object

      **2 resources drifted** from what roster applied; **1 unmanaged object** exists in no manifest.

      | class | found | accepted by \`.rosterignore\` |
      |---|---:|---:|
      | Changed outside roster | 1 | 0 attributes |
      | Deleted outside roster | 1 | 0 |
      | Unmanaged | 1 | 0 |

      ### Changed outside roster

      - \`p/Account/a\` changed by jdoe at 2026-11-01T10:00:00Z:
        - \`status\`: expected "active", found "locked"

      ### Deleted outside roster

      - \`p/Account/gone\` was **deleted** outside roster

      To put them back as the manifests declare: \`roster apply\`. To accept them into state instead: \`roster apply --refresh-only\`, or list them in \`.rosterignore\`.

      ### Unmanaged (in the system, in no manifest)

      <details>
      <summary><code>p/Account/WS_HAND</code> (id 12), last changed by jdoe</summary>

      - \`id\`: "WS_HAND"
      - \`status\`: "active"

      </details>

      Declare them in a manifest (roster adopts an object by its natural key), remove them in the system, or accept them in \`.rosterignore\`.

      <sub>roster drift · state serial 3 · 0 API calls</sub>
      "
    `);
  });
});

describe('renderDriftMarkdown for an issue reviewers read', () => {
  const report: DriftReport = {
    formatVersion: 1,
    lineage: 'l',
    serial: 4,
    createdAt: '2026-12-01T00:00:00.000Z',
    classes: ALL_DRIFT_CLASSES,
    drift: [
      {
        address: 'books/ServiceAccount/gone',
        provider: 'books',
        kind: 'ServiceAccount',
        status: 'deleted',
        attributes: [],
      },
      {
        address: 'books/SecurityLevel/ap-sync',
        provider: 'books',
        kind: 'SecurityLevel',
        status: 'changed',
        modifiedBy: 'jdoe',
        modifiedAt: '2026-11-30T09:00:00Z',
        attributes: [
          {
            path: '/permissions',
            expected: { 'ap/Bills': ['add', 'list'], Contacts: 'view' },
            actual: { 'ap/Bills': ['add', 'list', 'approve'], Contacts: 'view', 'gl/Journal': ['post'] },
          },
        ],
      },
    ],
    unmanaged: [
      {
        address: 'books/SecurityLevel/Hand made',
        provider: 'books',
        kind: 'SecurityLevel',
        id: '31',
        naturalKey: 'Hand made',
        attributes: { name: 'Hand made', permissions: { Contacts: 'edit', 'ap/Bills': ['add', 'approve'] } },
      },
    ],
    ignored: { changed: 1, deleted: 0, unmanaged: 0 },
    ignoreFile: 'infra/books/.rosterignore',
    attestations: [
      {
        address: 'books/SecurityLevel/ap-sync',
        attribute: 'permissions',
        by: 'jdoe',
        at: '2026-10-01T00:00:00Z',
        via: 'operator',
        expiresAt: '2027-01-01T00:00:00Z',
        expired: false,
      },
    ],
    diagnostics: [],
    stats: { apiCalls: 1, apiCallsByProvider: { books: 1 }, throttled: 0, refreshMs: 1, planMs: 1 },
  };
  const context: CommentContext = {
    projectDir: 'infra/books',
    workspace: 'prod',
    paths: { cwd: '/ci/repo', project: '/ci/repo/infra/books' },
    runUrl: 'https://github.com/acme/infra/actions/runs/7',
    apply: { command: 'roster apply -f infra/books --workspace prod', savedPlan: false },
  };

  it('reads in order: heading, summary, changed by hand (who, when), deleted, unmanaged, attestations; maps as lists', () => {
    const md = renderDriftMarkdown(report, { context });
    expect(md).toMatchInlineSnapshot(`
      "<!-- roster-drift dir=infra/books workspace=prod -->
      ### roster drift · \`infra/books\` · workspace \`prod\` · 2 resources drifted, 1 unmanaged object

      **2 resources drifted** from what roster applied; **1 unmanaged object** exists in no manifest.

      CI run: https://github.com/acme/infra/actions/runs/7

      | class | found | accepted by \`.rosterignore\` |
      |---|---:|---:|
      | Changed outside roster | 1 | 1 attribute |
      | Deleted outside roster | 1 | 0 |
      | Unmanaged | 1 | 0 |

      ### Changed outside roster

      - \`books/SecurityLevel/ap-sync\` changed by jdoe at 2026-11-30T09:00:00Z:
        - \`permissions\`:
          - ap/Bills: expected add, list, found add, list, approve
          - gl/Journal: not expected, found post

      ### Deleted outside roster

      - \`books/ServiceAccount/gone\` was **deleted** outside roster

      To put them back as the manifests declare: \`roster apply -f infra/books --workspace prod\`. To accept them into state instead: \`roster apply --refresh-only -f infra/books --workspace prod\`, or list them in \`.rosterignore\`.

      ### Unmanaged (in the system, in no manifest)

      <details>
      <summary><code>books/SecurityLevel/Hand made</code> (id 31)</summary>

      - \`name\`: "Hand made"
      - \`permissions\`:
        - Contacts: edit
        - ap/Bills: add, approve

      </details>

      Declare them in a manifest (roster adopts an object by its natural key), remove them in the system, or accept them in \`.rosterignore\`.

      **Attested, not verified** (the systems do not report these attributes; they rest on confirmations):

      | resource | attribute | confirmed by | on | until |
      |---|---|---|---|---|
      | \`books/SecurityLevel/ap-sync\` | permissions | jdoe | 2026-10-01 | 2027-01-01 |

      <sub>roster drift · state serial 4 · 1 API call</sub>
      "
    `);
  });

  it('has no run line without a CI run, and says "No drift" in the heading when there is none', () => {
    const { runUrl: _, ...local } = context;
    const none = { ...report, drift: [], unmanaged: [], attestations: [] };
    const md = renderDriftMarkdown(none, { context: local });
    expect(md.split('\n')[1]).toBe('### roster drift · `infra/books` · workspace `prod` · no drift');
    expect(md).not.toContain('CI run');
    expect(md).not.toContain('To put them back');
  });

  it('stays within the size limit, cutting whole entries and saying how many it left out', () => {
    const unmanaged = Array.from({ length: 500 }, (_, i) => ({
      ...report.unmanaged[0]!,
      address: `books/SecurityLevel/hand-${i}`,
      id: String(i),
    }));
    const md = renderDriftMarkdown({ ...report, unmanaged }, { context, limit: 10_000 });
    expect(md.length).toBeLessThanOrEqual(10_000);
    expect(md).toMatch(/_…and \d+ more unmanaged objects: see `roster drift --format json`\._/);
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
  });
});
