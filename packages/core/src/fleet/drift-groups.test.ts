import { describe, expect, it } from 'vitest';
import { groupDrift } from './drift-groups.js';
import type { TenantDriftItem, TenantResult } from './tenant-result.js';

const result = (tenant: string, drift: Partial<TenantDriftItem>[]): TenantResult => ({
  tenant,
  command: 'drift',
  exitCode: drift.length > 0 ? 2 : 0,
  outcome: drift.length > 0 ? 'drift' : 'ok',
  changes: 0,
  planned: [],
  manualSteps: 0,
  blockingFindings: 0,
  drift: drift.map((d) => ({
    address: `at/ServiceAccount/backup-${tenant}`,
    kind: 'ServiceAccount',
    name: `backup-${tenant}`,
    resource: 'backup-${tenant.name}',
    status: 'changed',
    attribute: '/active',
    expected: true,
    actual: false,
    ...d,
  })),
  drifted: drift.length > 0 ? 1 : 0,
  deviations: [],
  diagnostics: [],
  finishedAt: '2026-12-07T00:00:00.000Z',
});

describe('groupDrift', () => {
  it('groups the same attribute changed the same way across tenants, by baseline name', () => {
    const groups = groupDrift([
      result('e', [{}]),
      result('a', [{}]),
      result('b', []),
      result('c', [{}, { attribute: '/locked', expected: false, actual: true }]),
      result('d', [{ actual: 'weird' }]),
    ]);
    expect(groups.map((g) => [g.attribute, g.actual, g.tenants])).toEqual([
      ['/active', false, ['a', 'c', 'e']],
      ['/active', 'weird', ['d']],
      ['/locked', true, ['c']],
    ]);
  });

  it('has no group without drift, and one deleted group without values', () => {
    expect(groupDrift([result('a', [])])).toEqual([]);
    const [g] = groupDrift([result('a', [{ status: 'deleted', attribute: '' }])]);
    expect(g).toEqual({
      kind: 'ServiceAccount',
      resource: 'backup-${tenant.name}',
      status: 'deleted',
      attribute: '',
      tenants: ['a'],
    });
  });
});
