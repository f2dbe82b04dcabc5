import { describe, expect, it } from 'vitest';
import { declared } from '../../kind-fixtures.testing.js';
import { kindCapabilities } from '../../kind-operations.js';
import { account, desired, obj, role } from '../fixtures.testing.js';
import { desiredSubject } from './draft.js';
import { forcedReplacementRefusals, replaceDrafts, replacingKeys } from './replacement.js';

const d = desired('Account', 'a', { id: 'WS_NEW', vendor: 'v2', status: 'inactive' });
const remote = obj('7', { id: 'WS_OLD', vendor: 'v1' });

describe('replacingKeys', () => {
  it('a changed natural key and fixed-at-creation attribute replace; an immutable one is refused unless allowed', () => {
    const req = { d, def: account, changed: ['vendor'], remote, before: remote.attributes, desired: d.spec };
    const refused = replacingKeys({ ...req, replaceAllowed: false });
    expect(refused.replacing).toEqual(['vendor']);
    expect(refused.diagnostics).toMatchObject([{ code: 'rule.immutable' }]);
    expect(replacingKeys({ ...req, replaceAllowed: true })).toEqual({
      replacing: ['vendor', 'id'],
      diagnostics: [],
    });
  });
});

describe('forcedReplacementRefusals', () => {
  it('refuses where the kind cannot create and remove by API', () => {
    const manual = { ...role, ...declared({ ...kindCapabilities(role), create: 'manual' }) };
    expect(forcedReplacementRefusals({ d, def: manual, remote, failed: false })).toMatchObject([
      { code: 'replace.unsupported', message: expect.stringContaining('create: manual, delete: api') },
    ]);
    expect(forcedReplacementRefusals({ d, def: role, remote, failed: false })).toEqual([]);
  });

  it('refuses a kind removed by deactivation (its key stays taken), unless already failed', () => {
    expect(forcedReplacementRefusals({ d, def: account, remote, failed: false })).toMatchObject([
      { code: 'replace.unsupported', message: expect.stringContaining('keeps id WS_OLD') },
    ]);
    expect(forcedReplacementRefusals({ d, def: account, remote, failed: true })).toEqual([]);
  });
});

describe('replaceDrafts', () => {
  const subject = desiredSubject(d, account);
  const req = { d, def: account, subject, before: remote.attributes, remote, fp: 'fp' };
  it('creates the new object, removes the old, then sets what creation could not', () => {
    const [replace, followUp] = replaceDrafts({
      ...req,
      replacing: ['vendor'],
      forced: false,
      allowed: false,
    });
    expect(replace).toMatchObject({
      action: 'replace',
      operation: 'create',
      alsoOperations: ['update'],
      risk: 'high',
      id: '7',
      after: { id: 'WS_NEW', vendor: 'v2', status: 'locked' },
      reasons: [
        {
          rule: 'fixedAtCreation',
          message: expect.stringContaining('apply refuses until lifecycle.allowReplace'),
        },
      ],
    });
    expect(followUp).toMatchObject({ action: 'update', changed: ['status'] });
  });

  it('a forced replacement says it was asked for', () => {
    const [replace] = replaceDrafts({ ...req, replacing: [], forced: true, allowed: true });
    expect(replace!.reasons).toEqual([
      {
        path: '',
        rule: 'replace',
        message: expect.stringMatching(
          /^replacement requested with --replace: a new object replaces WS_OLD, which will be deactivated; the new account gets new credentials and integrations using the old one break$/,
        ),
      },
    ]);
  });
});
