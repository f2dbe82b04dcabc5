import { isSecret } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { AfasClient } from '../client/client.js';
import type { Json } from './api.testing.js';
import { servedSimulator } from './sandbox.testing.js';

// The sandbox's console (`SandboxHost.console`): manual steps as a person does them in Profit's UI.
const t = servedSimulator({ sleep: async () => {}, pageSize: 3 });

describe('manual steps through the sandbox console (operate)', () => {
  it('performs a whole guided setup; the issued token then works, only once everything is in place', async () => {
    const group = await t.operate('Group', 'create', 'INV-APP', {
      id: 'INV-APP',
      description: 'Invoice app users',
    });
    expect(group.object).toEqual({
      id: 'INV-APP',
      naturalKey: 'INV-APP',
      attributes: { id: 'INV-APP', description: 'Invoice app users' },
    });

    const created = await t.operate('Connector', 'create', 'Invoice sync', {
      description: 'Invoice sync',
      group: { ref: 'INV-APP', id: 'INV-APP' },
      getConnectors: ['Profit_Users'],
      updateConnectors: [],
      blocked: true,
    });
    const app = created.object!;
    expect(app).toEqual({
      id: '1',
      naturalKey: 'Invoice sync',
      attributes: {
        description: 'Invoice sync',
        group: { ref: 'INV-APP' },
        getConnectors: ['Profit_Users'],
        updateConnectors: [],
        blocked: true,
      },
    });

    // Create (api, without a token), then the token step (manual).
    let user = await t.createAccount('12345.WS-INVOICE', { groups: [{ ref: 'INV-APP' }], connector: null });
    const issued = await t.operate(
      'ServiceAccount',
      'update',
      '12345.WS-INVOICE',
      { ...user.attributes, connector: { ref: 'Invoice sync', id: app.id } },
      { id: user.id, prior: user, changes: { connector: { ref: 'Invoice sync', id: app.id } } },
    );
    expect(issued.object?.attributes.connector).toEqual({ ref: 'Invoice sync' });
    const token = issued.secrets?.token;
    expect(isSecret(token)).toBe(true);
    expect(String(token)).toBe('(sensitive)');
    expect(JSON.stringify(issued)).not.toContain('<data>');
    user = issued.object!;

    const asUser = new AfasClient({ baseUrl: t.sim.apiUrl, token: token!, maxAttempts: 1 });
    const blocked = (await asUser.getRows('Profit_Users').catch((e: unknown) => e)) as Error;
    expect(blocked.message).toMatch(/App connector 'Invoice sync' is blocked \(401/);

    const unblocked = await t.operate('Connector', 'update', 'Invoice sync', app.attributes, {
      id: app.id,
      prior: app,
      changes: { blocked: false },
    });
    expect(unblocked.object?.attributes.blocked).toBe(false);
    expect((await asUser.getRows('Profit_Users')).map((r) => r.UserId)).toEqual(['12345.WS-INVOICE']);

    // Leaving the group (API) takes access away again, server-side.
    await t.update(user, { groups: [] });
    const out = (await asUser.getRows('Profit_Users').catch((e: unknown) => e)) as Error;
    expect(out.message).toMatch(/is not a member of user group INV-APP/);
  });

  it('rotates a token: the old one is deleted, the new one works', async () => {
    const { appConnector, token: old } = await t.api.tokenUser('WS-R');
    const user = (await t.calls.read('ServiceAccount', 'WS-R'))!;
    const prior = { ...user, attributes: { ...user.attributes, connector: { ref: 'App for WS-R' } } };
    const r = await t.operate('ServiceAccount', 'update', 'WS-R', prior.attributes, {
      id: 'WS-R',
      prior,
      changes: { connector: { ref: 'App for WS-R' } },
    });
    const fresh = r.secrets!.token!.reveal();
    expect(fresh).not.toBe(old);
    expect((await t.api.get('Profit_Users', {}, old)).status).toBe(401);
    expect((await t.api.get('Profit_Users', {}, fresh)).status).toBe(200);
    const tokens: Json[] = await t.api.ok('GET', `/app-connectors/${appConnector}/tokens`);
    expect(tokens.map((t) => t.description)).toEqual(['roster: ws-r']);
  });

  it('re-confirms a token that is there, and refuses one that is not', async () => {
    const { appConnector, tokenId } = await t.api.tokenUser('WS-C');
    const attrs = { userId: 'WS-C', connector: { ref: 'App for WS-C' } };
    expect(
      (await t.operate('ServiceAccount', 'reconfirm', 'WS-C', attrs, { id: 'WS-C' })).object?.naturalKey,
    ).toBe('WS-C');
    await t.api.ok('DELETE', `/app-connectors/${appConnector}/tokens/${tokenId}`);
    await expect(t.operate('ServiceAccount', 'reconfirm', 'WS-C', attrs, { id: 'WS-C' })).rejects.toThrow(
      "WS-C holds no token on app connector 'App for WS-C'",
    );
  });

  it('confirms an app connector only as the console shows it', async () => {
    await t.operate('Group', 'create', 'G1', { id: 'G1', description: 'first' });
    const declared = { description: 'Sync', group: { ref: 'G1' }, getConnectors: ['Profit_Users'] };
    const app = (await t.operate('Connector', 'create', 'Sync', declared)).object!;
    await expect(
      t.operate('Connector', 'reconfirm', 'Sync', declared, { id: app.id }),
    ).resolves.toBeDefined();
    await t.api.ok('PATCH', `/app-connectors/${app.id}`, { getConnectors: [], blocked: false });
    await expect(
      t.operate('Connector', 'reconfirm', 'Sync', { ...declared, blocked: true }, { id: app.id }),
    ).rejects.toThrow(
      'cannot confirm afas/Connector/sync: the sandbox shows that its getConnectors are none, not Profit_Users; blocked is false, not true',
    );
  });

  it('changes and deletes groups and app connectors; repeats a create without harm', async () => {
    await t.operate('Group', 'create', 'G1', { id: 'G1', description: 'first' });
    const again = await t.operate('Group', 'create', 'G1', { id: 'G1', description: 'second' });
    expect(again.object?.attributes.description).toBe('second');
    const changed = await t.operate(
      'Group',
      'update',
      'G1',
      { id: 'G1' },
      { id: 'G1', changes: { description: 'third' } },
    );
    expect(changed.object?.attributes.description).toBe('third');
    const app = (
      await t.operate('Connector', 'create', 'Sync', { description: 'Sync', group: { ref: 'G1' } })
    ).object!;
    const twice = (
      await t.operate('Connector', 'create', 'Sync', {
        description: 'Sync',
        group: { ref: 'G1' },
        getConnectors: ['Profit_Users'],
      })
    ).object!;
    expect(twice).toMatchObject({ id: app.id, attributes: { getConnectors: ['Profit_Users'] } });
    await expect(t.operate('Group', 'delete', 'G1', {}, { id: 'G1' })).rejects.toThrow(
      /still linked to app connector 'Sync'/,
    );
    expect(await t.operate('Connector', 'delete', 'Sync', {}, { id: app.id })).toEqual({});
    expect(await t.operate('Group', 'delete', 'G1', {}, { id: 'G1' })).toEqual({});
    expect(await t.calls.read('Group', 'G1')).toBeUndefined();
  });
});
