import { makeWorld, type PolicyContext } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { intacctPolicies } from './policies.js';
import { at } from './world.testing.js';

describe('intacct.permission-old-form', () => {
  const rule = intacctPolicies.find((r) => r.id === 'intacct.permission-old-form')!;
  it('warns about a role whose state holds <application>/<object> keys, naming the new form', () => {
    const role = at('SecurityLevel', 'ap', {
      name: 'AP',
      permissions: { 'accountsPayable/bills': ['list'] },
    });
    const ctx = {
      world: makeWorld([role], () => undefined),
      desired: [role],
      state: {
        version: 1,
        lineage: 'l',
        serial: 1,
        resources: {
          'books/SecurityLevel/ap': {
            provider: 'books',
            kind: 'SecurityLevel',
            name: 'ap',
            id: '3',
            naturalKey: 'AP',
            attributes: { name: 'AP', permissions: { 'accounts-payable/bill': ['list', 'view'] } },
            dependencies: [],
          },
          'books/SecurityLevel/new': {
            provider: 'books',
            kind: 'SecurityLevel',
            name: 'new',
            id: '4',
            naturalKey: 'New',
            attributes: { name: 'New', permissions: { 'accountsPayable/vendors': ['list'] } },
            dependencies: [],
          },
        },
      },
    } as unknown as PolicyContext;
    expect(rule.severity).toBe('warning');
    expect(rule.evaluate!(ctx)).toEqual([
      {
        address: 'books/SecurityLevel/ap',
        message: expect.stringContaining(
          'accounts-payable/bill is the old form; Intacct names this permission accountsPayable/bills',
        ),
      },
    ]);
  });
});
