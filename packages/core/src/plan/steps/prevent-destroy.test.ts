import { describe, expect, it } from 'vitest';
import { preventDestroyRefusal } from './prevent-destroy.js';

const st = (lifecycle?: { preventDestroy?: boolean }) => ({
  provider: 'p',
  kind: 'Account',
  name: 'a',
  id: '7',
  naturalKey: 'A',
  attributes: {},
  dependencies: [],
  ...(lifecycle ? { lifecycle } : {}),
});

describe('preventDestroyRefusal', () => {
  it('refuses to remove a protected resource, saying how to proceed', () => {
    expect(preventDestroyRefusal('p/Account/a', st({ preventDestroy: true }))).toMatchObject({
      severity: 'error',
      code: 'rule.prevent-destroy',
      address: 'p/Account/a',
      message: expect.stringContaining('remove preventDestroy first'),
    });
  });

  it('lets an unprotected resource go', () => {
    expect(preventDestroyRefusal('p/Account/a', st())).toBeUndefined();
    expect(preventDestroyRefusal('p/Account/a', st({ preventDestroy: false }))).toBeUndefined();
  });
});
