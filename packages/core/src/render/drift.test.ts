import { describe, expect, it } from 'vitest';
import { ALL_DRIFT_CLASSES } from '../drift/classes.js';
import { parseIgnoreFile } from '../drift/ignore-file.js';
import { buildDriftReport } from '../drift/report.js';
import type { UnmanagedObject } from '../drift/unmanaged.js';
import { obj, plan, remote, stateWith } from '../plan/fixtures.testing.js';
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

const hand: UnmanagedObject = {
  address: 'p/Account/WS_HAND',
  provider: 'p',
  kind: 'Account',
  id: '12',
  naturalKey: 'WS_HAND',
  attributes: { id: 'WS_HAND', status: 'active' },
  modifiedBy: 'jdoe',
};

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
      "**2 resource(s) drifted** from what roster applied; **1 unmanaged object(s)** exist in no manifest.

      | class | found | accepted by \`.rosterignore\` |
      |---|---:|---:|
      | Changed outside roster | 1 | 0 attribute(s) |
      | Deleted outside roster | 1 | 0 |
      | Unmanaged | 1 | 0 |

      ### Changed outside roster

      - \`p/Account/a\` changed by jdoe at 2026-11-01T10:00:00Z:
        - \`status\`: expected "active", found "locked"

      ### Deleted outside roster

      - \`p/Account/gone\` was **deleted** outside roster

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
