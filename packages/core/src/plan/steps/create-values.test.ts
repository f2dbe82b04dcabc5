import { describe, expect, it } from 'vitest';
import { account, desired } from '../fixtures.testing.js';
import { createAttributes, createValuesReasons, followUpDraft } from './create-values.js';
import { desiredSubject } from './draft.js';

describe('createValues', () => {
  it('creates with createAs a value the system does not take at creation', () => {
    expect(createAttributes({ id: 'A', status: 'inactive' }, account.attributes)).toEqual({
      attrs: { id: 'A', status: 'locked' },
      substituted: ['status'],
    });
    expect(createAttributes({ id: 'A', status: 'active' }, account.attributes).substituted).toEqual([]);
  });

  it('says why, and plans the update that sets the declared value right after', () => {
    const subject = desiredSubject(
      desired('Account', 'a', { id: 'A', status: 'inactive' }, { dependencies: ['p/Role/r'] }),
      account,
    );
    const created = createAttributes(subject.desired!, subject.rules);
    expect(createValuesReasons(subject, created)).toEqual([
      {
        path: '/status',
        rule: 'createValues',
        message:
          'a new Account cannot be created with status "inactive": it is created as "locked", then updated',
      },
    ]);
    expect(followUpDraft(subject, created)).toMatchObject({
      action: 'update',
      before: { id: 'A', status: 'locked' },
      after: { id: 'A', status: 'inactive' },
      changed: ['status'],
      // It follows its own create (same address), not the dependencies again.
      after_addresses: [],
    });
  });

  it('no follow-up when every value is allowed at creation', () => {
    const subject = desiredSubject(desired('Account', 'a', { id: 'A' }), account);
    expect(followUpDraft(subject, createAttributes(subject.desired!, subject.rules))).toBeUndefined();
  });
});
