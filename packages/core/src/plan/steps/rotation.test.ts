import { describe, expect, it } from 'vitest';
import type { KindDefinition } from '../../provider.js';
import { account, desired, obj } from '../fixtures.testing.js';
import { desiredSubject } from './draft.js';
import { rotation } from './rotation.js';

const def: KindDefinition = {
  ...account,
  attributes: { ...account.attributes, credentials: { local: true } },
  api: { ...account.api, rotate: async () => ({}) },
};
const d = desired('Account', 'a', { id: 'A', credentials: { rotateAfterDays: 30 } });
const o = obj('7', { id: 'A' });
const recorded = (issued: string) => ({
  provider: 'p',
  kind: 'Account',
  name: 'a',
  id: '7',
  naturalKey: 'A',
  attributes: { id: 'A' },
  dependencies: [],
  credentialsIssuedAt: issued,
});
const run = (k: KindDefinition, issued = '2025-11-01T00:00:00Z') =>
  rotation({
    d,
    def: k,
    subject: desiredSubject(d, k),
    recorded: recorded(issued),
    before: { id: 'A' },
    remote: o,
    fp: 'fp',
    now: new Date('2026-01-01T00:00:00Z'),
  });

describe('rotation', () => {
  it('rotates credentials older than rotateAfterDays', () => {
    const r = run(def);
    expect(r.diagnostics).toEqual([]);
    expect(r.draft).toMatchObject({
      action: 'rotate',
      manualOperation: 'rotate',
      id: '7',
      reasons: [
        {
          rule: 'rotateAfterDays',
          message: expect.stringContaining('are 61 days old; rotateAfterDays is 30'),
        },
      ],
    });
  });

  it('nothing while they are young, or when roster never saw them issued', () => {
    expect(run(def, '2025-12-15T00:00:00Z')).toEqual({ diagnostics: [] });
    expect(
      rotation({
        ...{ d, def, subject: desiredSubject(d, def), before: {}, remote: o, fp: 'fp' },
        recorded: undefined,
        now: new Date(),
      }),
    ).toEqual({ diagnostics: [] });
  });

  it('a warning (no change) when the system cannot rotate them; the kind’s own warning when it can', () => {
    const manual = run({ ...def, api: account.api });
    expect(manual.draft).toBeUndefined();
    expect(manual.diagnostics).toMatchObject([{ severity: 'warning', code: 'credentials.rotation-due' }]);
    const warned = run({ ...def, rotationWarning: { code: 'x.rotation', message: 'old keys stop at once' } });
    expect(warned.draft?.action).toBe('rotate');
    expect(warned.diagnostics).toMatchObject([{ code: 'x.rotation', message: 'old keys stop at once' }]);
  });
});
