import { kindCapabilities, Secret } from '@roster/core';
import { describe, expect, it } from 'vitest';
import provider from '../../provider.js';
import { servedSimulator } from '../../sandbox/sandbox.testing.js';

// Token users through KnUser and the GetConnectors, against the simulator over HTTP.
const t = servedSimulator({ sleep: async () => {}, pageSize: 3 });

describe('users through KnUser and the GetConnectors', () => {
  it('creates a user with its groups, and lists it in spec shape', async () => {
    await t.api.ok('POST', '/groups', { id: 'INT-A', description: 'A' });
    await t.api.ok('POST', '/groups', { id: 'INT-B', description: 'B' });
    const created = await t.createAccount('12345.WS-A', {
      groups: [{ ref: 'INT-B', id: 'INT-B' }, { ref: 'INT-A' }],
      connector: null,
    });
    expect(created).toEqual({
      id: '12345.WS-A',
      naturalKey: '12345.WS-A',
      attributes: {
        userId: '12345.WS-A',
        name: 'Sync 12345.WS-A',
        email: '12345.ws-a@example.com',
        windows: false,
        inSite: true,
        groups: [{ ref: 'INT-A' }, { ref: 'INT-B' }],
        blocked: false,
      },
    });
    const listed = await t.calls.list('ServiceAccount');
    expect(listed).toEqual([created]);
    expect(await t.calls.read('ServiceAccount', '12345.ws-a')).toEqual(created);
    expect(await t.calls.read('ServiceAccount', 'NOBODY')).toBeUndefined();
  });

  it('lists many users over several pages with their groups', async () => {
    await t.api.ok('POST', '/groups', { id: 'INT', description: 'Integrations' });
    for (let i = 1; i <= 8; i++) await t.api.user(`U${i}`, {}, i % 2 ? ['INT'] : []);
    const listed = await t.calls.list('ServiceAccount');
    expect(listed.map((o) => o.naturalKey)).toEqual(['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7', 'U8']);
    expect(listed.map((o) => o.attributes.groups)).toEqual(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? [] : [{ ref: 'INT' }])),
    );
  });

  it('creates a blocked user as blocked (deactivated)', async () => {
    const created = await t.createAccount('WS-BLK', { blocked: true });
    expect(created.attributes.blocked).toBe(true);
    expect(created.deactivated).toBe(true);
  });

  it('surfaces KnUser refusals', async () => {
    const err = (await t
      .createAccount('WS-NOGRP', { groups: [{ ref: 'NOPE' }] })
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(
      /^AFAS Profit failed to insert user WS-NOGRP \(KnUser\): User group 'NOPE' does not exist \(500/,
    );
  });

  it('inserts with every field the help page lists as mandatory, explicit, and the person (BcCo)', async () => {
    const created = await t.createAccount('WS-P', { person: '100234', windows: undefined });
    expect(created.attributes).toMatchObject({ person: '100234', windows: false, inSite: true });
    const rows = (await t.api.get('Profit_Users', {})).json.rows as Array<Record<string, unknown>>;
    expect(rows.find((r) => r.UserId === 'WS-P')).toMatchObject({
      PersonId: '100234',
      Connector: true,
      OutSite: false,
      Windows: false,
      InSite: true,
    });
    const changed = await t.update(created, { person: '100235' });
    expect(changed.attributes.person).toBe('100235');
  });

  it('updates fields, adds groups, blocks and unblocks', async () => {
    await t.api.ok('POST', '/groups', { id: 'INT-A', description: 'A' });
    let u = await t.createAccount('WS-U');
    u = await t.update(u, { name: 'Renamed', windows: true, groups: [{ ref: 'INT-A' }] });
    expect(u.attributes).toMatchObject({
      name: 'Renamed',
      windows: true,
      inSite: true,
      groups: [{ ref: 'INT-A' }],
      blocked: false,
    });
    u = await t.update(u, { blocked: true });
    expect(u.deactivated).toBe(true);
    u = await t.update(u, { blocked: false });
    expect(u.attributes.blocked).toBe(false);
  });

  it('leaves a group by resetting memberships (MtCd 0, 1…, 6) and ends unblocked', async () => {
    for (const g of ['INT-A', 'INT-B', 'INT-C']) await t.api.ok('POST', '/groups', { id: g, description: g });
    let u = await t.createAccount('WS-G', { groups: [{ ref: 'INT-A' }, { ref: 'INT-B' }] });
    u = await t.update(u, { groups: [{ ref: 'INT-B' }, { ref: 'INT-C' }] });
    expect(u.attributes).toMatchObject({ groups: [{ ref: 'INT-B' }, { ref: 'INT-C' }], blocked: false });
    // A user that is to be blocked stays blocked after the reset.
    u = await t.update(u, { groups: [], blocked: true });
    expect(u.attributes).toMatchObject({ groups: [], blocked: true });
  });

  it('never sends the token attributes, and has no delete', async () => {
    const u = await t.createAccount('WS-T', {
      connector: { ref: 'App', id: '1' },
      credentials: { token: Secret.pending('env:X') },
    });
    expect(u.attributes.connector).toBeUndefined();
    // KnUser has no delete: users are blocked, so the kind offers no delete at all.
    expect(provider.kinds.ServiceAccount.api?.delete).toBeUndefined();
    expect(kindCapabilities(provider.kinds.ServiceAccount).delete).toBe('none');
  });
});
