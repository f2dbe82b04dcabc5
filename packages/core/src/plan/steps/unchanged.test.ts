import { describe, expect, it } from 'vitest';
import { account, desired, obj } from '../fixtures.testing.js';
import { desiredSubject } from './draft.js';
import { adoptDraft, stateCatchUp } from './unchanged.js';

const d = desired('Account', 'a', { id: 'A', status: 'active' }, { lifecycle: { preventDestroy: true } });
const subject = desiredSubject(d, account);
const remote = obj('7', { id: 'A', status: 'active' });
const before = { id: 'A', status: 'active' };

describe('adoptDraft', () => {
  it('adopts an object found as declared by its key: a read, no write', () => {
    expect(
      adoptDraft({ subject, remote, before, fp: 'fp', fromRunbook: [], pending: undefined }),
    ).toMatchObject({
      action: 'import',
      operation: 'read',
      id: '7',
      after: before,
      reasons: [{ rule: 'adopt' }],
    });
  });

  it('records as attested what the runbook step handed out earlier set', () => {
    const pending = { operation: 'create' as const, title: 't', issuedAt: '2025-12-30T00:00:00Z' };
    const r = adoptDraft({
      subject,
      remote,
      before: { id: 'A' },
      fp: 'fp',
      fromRunbook: ['status'],
      pending,
    });
    expect(r).toMatchObject({ attestFromRunbook: ['status'], after: { id: 'A', status: 'active' } });
    expect(r.reasons[1]).toEqual({
      path: '',
      rule: 'runbook',
      message: 'the runbook step handed out 2025-12-30T00:00:00Z is done: status recorded as attested',
    });
  });
});

describe('stateCatchUp', () => {
  const st = {
    provider: 'p',
    kind: 'Account',
    name: 'a',
    id: '7',
    naturalKey: 'A',
    attributes: before,
    dependencies: [],
    remoteFingerprint: 'fp',
    lifecycle: { preventDestroy: true },
  };
  it('nothing when state is current', () => {
    expect(stateCatchUp({ subject, st, managed: before, before, fp: 'fp' })).toBeUndefined();
  });

  it('state catches up with the system, the attributes and the lifecycle settings', () => {
    const expected = {
      address: 'p/Account/a',
      attributes: before,
      remoteFingerprint: 'fp2',
      lifecycle: { preventDestroy: true },
    };
    expect(stateCatchUp({ subject, st, managed: before, before, fp: 'fp2' })).toEqual(expected);
    expect(
      stateCatchUp({ subject, st: { ...st, lifecycle: {} }, managed: before, before, fp: 'fp' }),
    ).toMatchObject({ remoteFingerprint: 'fp' });
    expect(stateCatchUp({ subject, st, managed: { id: 'A' }, before, fp: 'fp' })).toBeDefined();
  });
});
