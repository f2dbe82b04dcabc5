import { describe, expect, it } from 'vitest';
import type { DesiredResource } from '../plan/desired.js';
import type { KindDefinition } from '../provider.js';
import { declaredActiveAddresses, pendingAddresses } from './declared-active.js';

const resource = (address: string, spec: Record<string, unknown>): DesiredResource => {
  const [provider = '', kind = '', name = ''] = address.split('/');
  return {
    address,
    provider,
    kind,
    name,
    labels: {},
    spec,
    naturalKey: name,
    lifecycle: {},
    dependencies: [],
    positionOf: () => undefined,
  };
};
const kind = {
  deactivation: { attribute: 'status', value: 'inactive', activeValue: 'active' },
} as unknown as KindDefinition;

describe('declaredActiveAddresses', () => {
  it('leaves out what a manifest deactivates', () => {
    const desired = [
      resource('p/User/a', { status: 'active' }),
      resource('p/User/b', { status: 'inactive' }),
      resource('p/User/c', {}),
    ];
    expect([...declaredActiveAddresses(desired, () => kind)]).toEqual(['p/User/a', 'p/User/c']);
  });
});

describe('pendingAddresses', () => {
  it('is every change but a no-op', () => {
    const changes = [
      { address: 'p/User/a', action: 'no-op' },
      { address: 'p/User/b', action: 'deactivate' },
    ] as Parameters<typeof pendingAddresses>[0]['changes'];
    expect([...pendingAddresses({ changes })]).toEqual(['p/User/b']);
  });
});
