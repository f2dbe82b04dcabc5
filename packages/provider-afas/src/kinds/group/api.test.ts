import { kindCapabilities } from '@roster/core';
import { describe, expect, it } from 'vitest';
import provider from '../../provider.js';
import { servedSimulator } from '../../sandbox/sandbox.testing.js';

// User groups read through the memberships GetConnector, against the simulator over HTTP.
const t = servedSimulator({ sleep: async () => {}, pageSize: 3 });

describe('groups and app connectors', () => {
  it('reads groups through the memberships GetConnector; manual operations are refused as API calls', async () => {
    await t.api.ok('POST', '/groups', { id: 'INT', description: 'Integrations' });
    expect(await t.calls.list('Group')).toEqual([
      {
        id: 'Everybody',
        naturalKey: 'Everybody',
        attributes: { id: 'Everybody', description: 'All Profit users' },
      },
      { id: 'INT', naturalKey: 'INT', attributes: { id: 'INT', description: 'Integrations' } },
    ]);
    expect((await t.calls.read('Group', 'int'))?.naturalKey).toBe('INT');
    expect(provider.kinds.Group.api?.create).toBeUndefined();
    expect(kindCapabilities(provider.kinds.Group)).toMatchObject({ create: 'manual', update: 'manual' });
  });
});
