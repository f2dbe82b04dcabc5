import { describe, expect, it } from 'vitest';
import { desired, obj, plan, remote, stateWith } from '../plan/fixtures.testing.js';
import { renderPlanMarkdown } from './markdown.js';
import { renderPlanText } from './text.js';

function mixedPlan() {
  const changed = desired('Account', 'a', {
    id: 'WS_A',
    status: 'active',
    roles: [{ ref: 'R1' }, { ref: 'R2' }],
  });
  const fresh = desired('Account', 'b', { id: 'WS_B', status: 'inactive' });
  const o = obj('7', { id: 'WS_A', status: 'locked', roles: [{ ref: 'R1' }] });
  const gone = obj('9', { id: 'WS_OLD', status: 'active' });
  const state = stateWith('p/Account/a', o);
  const removed = stateWith('p/Account/old', gone).resources;
  return plan({
    desired: [changed, fresh],
    order: [changed.address, fresh.address],
    state: { ...state, resources: { ...state.resources, ...removed } },
    remote: remote('Account', [{ ...o, attributes: { ...o.attributes, status: 'lockedOut' } }, gone]),
  });
}

describe('renderPlanText', () => {
  it('shows each change with its symbol, attributes and rule, then the summary', () => {
    expect(renderPlanText(mixedPlan(), { color: false })).toMatchInlineSnapshot(`
      "Objects changed outside roster since the last apply:

        # p/Account/a was changed outside roster
            ~ status: "locked" → "lockedOut"

      roster will perform these actions:

        # p/Account/a will be updated in place
        ~ Account "WS_A"
            ~ roles  = [ref:R1] → [ref:R1, ref:R2]
            ~ status = "lockedOut" → "active"

        # p/Account/b will be created
        + Account "WS_B"
            + id     = "WS_B"
            + status = "locked"
              createValues: a new Account cannot be created with status "inactive": it is created as "locked", then updated

        # p/Account/b will be updated in place
        ~ Account "WS_B"
            ~ status = "locked" → "inactive"
              createValues: after creation, status is set to "inactive" ("locked" → "inactive")

        # p/Account/old will be deactivated
        ⊘ Account "WS_OLD"
            ~ status = "active" → "inactive"
              deleteMode: removed from the manifests: Account WS_OLD is deactivated (status: "inactive"), not deleted — the system keeps it for its audit trail

      Plan: 1 to create, 2 to update, 0 to replace, 1 to deactivate, 0 to delete.
      "
    `);
  });

  it('says so when there is nothing to do', () => {
    expect(renderPlanText(plan({}), { color: false })).toMatchInlineSnapshot(`
      "No changes. The systems match the manifests.
      "
    `);
  });

  it('colours only when asked', () => {
    expect(renderPlanText(mixedPlan(), { color: true })).toContain('\u001b[');
    expect(renderPlanText(mixedPlan(), { color: false })).not.toContain('\u001b[');
  });
});

describe('renderPlanMarkdown', () => {
  it('puts the verdict first, then counts, red flags and one collapsible block per resource', () => {
    expect(renderPlanMarkdown(mixedPlan())).toMatchInlineSnapshot(`
      "<!-- roster-plan -->
      ### roster plan · 4 changes (1 to create, 2 to update, 1 to deactivate)

      **roster will make 4 changes**, 1 of them destructive.

      ### ⚠️ Review first

      - **update** \`p/Account/a\` (medium risk) — status: "lockedOut" → "active"; roles gains R2
      - **deactivate** \`p/Account/old\` (high risk) — removed from the manifests: Account WS_OLD is deactivated (status: "inactive"), not deleted — the system keeps it for its audit trail

      ### Changed outside roster

      - \`p/Account/a\` changed:
        - \`status\`: expected "locked", found "lockedOut"

      ### Changes

      <details>
      <summary><code>p/Account/a</code> will be updated in place</summary>

      - status: "lockedOut" → "active"
      - roles gains R2

      \`\`\`diff
      @@ -1,4 +1,5 @@
       id: WS_A
       roles:
         - ref: R1
      -status: lockedOut
      +  - ref: R2
      +status: active
      \`\`\`
      </details>
      <details>
      <summary><code>p/Account/b</code> will be created</summary>

      - a new Account cannot be created with status "inactive": it is created as "locked", then updated

      \`\`\`diff
      @@ -0,0 +1,2 @@
      +id: WS_B
      +status: locked
      \`\`\`
      </details>
      <details>
      <summary><code>p/Account/b</code> will be updated in place</summary>

      - after creation, status is set to "inactive" ("locked" → "inactive")

      \`\`\`diff
      @@ -1,2 +1,2 @@
       id: WS_B
      -status: locked
      +status: inactive
      \`\`\`
      </details>
      <details>
      <summary><code>p/Account/old</code> will be deactivated</summary>

      - removed from the manifests: Account WS_OLD is deactivated (status: "inactive"), not deleted — the system keeps it for its audit trail

      \`\`\`diff
      @@ -1,2 +1,2 @@
       id: WS_OLD
      -status: active
      +status: inactive
      \`\`\`
      </details>

      <sub>roster plan · state serial 3 · 0 API calls</sub>
      "
    `);
  });

  it('stays under the comment limit and says how to get the rest', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      desired('Account', `a${i}`, { id: `WS_${i}`, status: 'active', roles: [{ ref: 'R1' }] }),
    );
    const md = renderPlanMarkdown(plan({ desired: many, order: many.map((d) => d.address) }), {
      limit: 20_000,
    });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain('more changes are not shown');
    expect(md).toContain('roster plan --format json');
  });
});
