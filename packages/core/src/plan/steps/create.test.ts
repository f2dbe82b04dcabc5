import { describe, expect, it } from 'vitest';
import { account, desired, obj } from '../fixtures.testing.js';
import { LookAlikeKeys, planCreate } from './create.js';
import { desiredSubject } from './draft.js';

const d = desired('Account', 'a', { id: 'WS_A', status: 'inactive' });
const subject = desiredSubject(d, account);
const keys = (...existing: string[]) =>
  new LookAlikeKeys(
    new Map([['p', new Map([['Account', existing.map((k, i) => obj(String(i), { id: k }))]])]]),
    [d],
  );

describe('planCreate', () => {
  it('creates, then sets what creation could not', () => {
    const r = planCreate({ d, def: account, subject, st: undefined, lookAlikes: keys() });
    expect(r.diagnostics).toEqual([]);
    expect(r.drafts.map((x) => [x.action, x.before, x.after])).toEqual([
      ['create', null, { id: 'WS_A', status: 'locked' }],
      ['update', { id: 'WS_A', status: 'locked' }, { id: 'WS_A', status: 'inactive' }],
    ]);
  });

  it('says when state knew the object (deleted outside roster)', () => {
    const st = {
      provider: 'p',
      kind: 'Account',
      name: 'a',
      id: '7',
      naturalKey: 'WS_A',
      attributes: {},
      dependencies: [],
    };
    const r = planCreate({ d, def: account, subject, st, lookAlikes: keys() });
    expect(r.drafts[0]!.reasons[0]).toEqual({
      path: '',
      rule: 'deleted-outside',
      message: 'Account WS_A (id 7) no longer exists in the system; it will be created again',
    });
  });

  it('warns of an existing look-alike key at the natural key line', () => {
    const r = planCreate({ d, def: account, subject, st: undefined, lookAlikes: keys('ws_a') });
    expect(r.diagnostics).toMatchObject([
      {
        severity: 'warning',
        code: 'plan.look-alike-key',
        message: expect.stringContaining('the existing Account "ws_a"'),
        line: '/spec/id'.length,
      },
    ]);
    expect(r.drafts[0]!.action).toBe('create');
  });
});
