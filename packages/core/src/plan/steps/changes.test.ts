import { describe, expect, it } from 'vitest';
import { declared } from '../../kind-fixtures.testing.js';
import { kindCapabilities } from '../../kind-operations.js';
import { desired, kinds } from '../fixtures.testing.js';
import { toChanges } from './changes.js';
import { type DraftChange, desiredSubject, draft } from './draft.js';

const a = desiredSubject(
  desired('Account', 'a', { id: 'A' }, { dependencies: ['p/Role/r'] }),
  kinds.Account!,
);
const r = desiredSubject(desired('Role', 'r', { name: 'R' }), kinds.Role!);
const create: DraftChange = {
  reasons: [],
  before: null,
  after: null,
  operation: 'create',
  risk: 'low',
  action: 'create',
};

describe('toChanges', () => {
  it('numbers the drafts and makes each depend on what it waits for, masked and with a patch', () => {
    const { changes, diagnostics } = toChanges(
      [
        draft(r, { ...create, after: { name: 'R' } }),
        draft(a, { ...create, after: { id: 'A' } }),
        draft(a, {
          ...create,
          action: 'update',
          operation: 'update',
          before: { id: 'A' },
          after: { id: 'B' },
          after_addresses: [],
          changed: ['id'],
        }),
      ],
      (_p, k) => kinds[k],
    );
    expect(diagnostics).toEqual([]);
    expect(changes.map((c) => [c.index, c.address, c.dependsOn])).toEqual([
      [0, 'p/Role/r', []],
      [1, 'p/Account/a', [0]],
      [2, 'p/Account/a', [1]],
    ]);
    expect(changes[2]).toMatchObject({
      execution: 'api',
      patch: [{ op: 'replace', path: '/id', value: 'B' }],
    });
  });

  it('an operation the system cannot do is an error, shown as manual (with no runbook)', () => {
    const def = { ...kinds.Role!, ...declared({ ...kindCapabilities(kinds.Role!), delete: 'none' }) };
    const { changes, diagnostics } = toChanges(
      [draft(r, { ...create, action: 'delete', operation: 'delete', before: { name: 'R' }, after: null })],
      () => def,
    );
    expect(diagnostics).toMatchObject([
      { code: 'plan.unsupported-operation', message: 'delete of a p Role is not possible in this system' },
    ]);
    expect(changes[0]!.execution).toBe('manual');
    expect(changes[0]).not.toHaveProperty('manual');
  });
});
