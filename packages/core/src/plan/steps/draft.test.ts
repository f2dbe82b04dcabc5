import { describe, expect, it } from 'vitest';
import { account, createDraft, desired } from '../fixtures.testing.js';
import { desiredSubject, draft, stateSubject } from './draft.js';

describe('draft', () => {
  it('a declared resource: local attributes out of desired, their origins kept, lifecycle only when set', () => {
    const def = { ...account, attributes: { ...account.attributes, credentials: { local: true } } };
    const d = desired('Account', 'a', { id: 'WS_A', credentials: { rotateAfterDays: 30 } });
    const s = desiredSubject(d, def);
    expect(s).toMatchObject({ address: 'p/Account/a', naturalKey: 'WS_A', desired: { id: 'WS_A' } });
    expect(s).not.toHaveProperty('lifecycle');
    expect(s).not.toHaveProperty('credentials');
    const kept = desiredSubject({ ...d, lifecycle: { preventDestroy: true, ignoreChanges: ['roles'] } }, def);
    expect(kept.lifecycle).toEqual({ preventDestroy: true, ignoreChanges: ['roles'] });
  });

  it('a removed resource: named and described as state recorded it', () => {
    const st = {
      provider: 'p',
      kind: 'Account',
      name: 'old',
      id: '7',
      naturalKey: 'WS_OLD',
      attributes: { id: 'WS_OLD' },
      dependencies: ['p/Role/r'],
    };
    expect(stateSubject('p/Account/old', st, account)).toEqual({
      address: 'p/Account/old',
      provider: 'p',
      kind: 'Account',
      naturalKey: 'WS_OLD',
      name: 'old',
      dependencies: ['p/Role/r'],
      rules: account.attributes,
      desired: { id: 'WS_OLD' },
    });
  });

  it('waits for the dependencies unless told otherwise', () => {
    const s = desiredSubject(
      desired('Account', 'a', { id: 'WS_A' }, { dependencies: ['p/Role/r'] }),
      account,
    );
    expect(draft(s, createDraft()).after_addresses).toEqual(['p/Role/r']);
    expect(draft(s, { ...createDraft(), after_addresses: [] }).after_addresses).toEqual([]);
  });
});
