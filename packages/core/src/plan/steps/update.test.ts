import { describe, expect, it } from 'vitest';
import { account, desired, obj } from '../fixtures.testing.js';
import { desiredSubject } from './draft.js';
import { updateDraft } from './update.js';

const base = {
  def: account,
  matchedBy: 'state' as const,
  reactivate: false,
  fromRunbook: [],
  fp: 'fp',
};

describe('updateDraft', () => {
  it('sets the changed attributes, one reason each; a role change is medium risk', () => {
    const subject = desiredSubject(
      desired('Account', 'a', { id: 'A', roles: [{ ref: 'r2' }], status: 'active' }),
      account,
    );
    const u = updateDraft({
      ...base,
      subject,
      remote: obj('7', { id: 'A', roles: [{ ref: 'r1' }], status: 'active' }),
      before: { id: 'A', roles: [{ ref: 'r1' }], status: 'active' },
      changed: ['roles'],
    });
    expect(u).toMatchObject({
      action: 'update',
      risk: 'medium',
      changed: ['roles'],
      after: { roles: [{ ref: 'r2' }] },
      reasons: [{ rule: 'changed', message: 'roles gains r2; roles loses r1' }],
    });
  });

  it('adopts first an object found by key, and reactivates a deactivated one', () => {
    const subject = desiredSubject(desired('Account', 'a', { id: 'A' }), account);
    const u = updateDraft({
      ...base,
      subject,
      matchedBy: 'naturalKey',
      remote: obj('7', { id: 'A', status: 'inactive' }, { deactivated: true }),
      before: { id: 'A' },
      changed: [],
      reactivate: true,
    });
    expect(u.reasons.map((r) => r.rule)).toEqual(['adopt', 'deleteMode']);
    expect(u).toMatchObject({ risk: 'low', changed: ['status'], after: { id: 'A', status: 'active' } });
  });
});
