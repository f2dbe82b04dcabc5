import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type ConnectRequest,
  isSecret,
  kindCapabilities,
  type OperateRequest,
  type RemoteObject,
  Secret,
} from '@roster/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AfasClient, type ClientTuning } from './client/client.js';
import { AfasConnection } from './connection.js';
import provider, { connectAfas } from './provider.js';
import { type Json, RawApi } from './sandbox/api.testing.js';
import { connectTo, kindCalls, openSandbox, quiet } from './sandbox/sandbox.testing.js';
import { type Simulator, startSimulator } from './sandbox/server.js';

const fast: ClientTuning = { sleep: async () => {}, pageSize: 3 };

function request(config: Record<string, unknown>, extra: Partial<ConnectRequest> = {}): ConnectRequest {
  return {
    name: 'afas',
    config: { type: 'afas', ...config },
    credentials: {},
    readOnly: false,
    log: quiet,
    ...extra,
  };
}

let sim: Simulator;
let conn: AfasConnection;
let calls: ReturnType<typeof kindCalls>;
let operateStep: (req: OperateRequest) => Promise<unknown>;
let api: RawApi;

beforeEach(async () => {
  sim = await startSimulator();
  // A served sandbox on loopback, no credentials declared: any token is accepted.
  const opened = await connectTo(sim, {}, fast);
  conn = opened.conn;
  calls = kindCalls(conn);
  operateStep = opened.operate;
  api = new RawApi(sim.url, undefined, sim.consoleToken);
});
afterEach(async () => {
  await conn.close();
  await sim.close();
});

const address = (kind: string, name: string) => `afas/${kind}/${name}`;

async function createAccount(userId: string, extra: Record<string, unknown> = {}) {
  return calls.create({
    kind: 'ServiceAccount',
    address: address('ServiceAccount', userId),
    attributes: {
      userId,
      name: `Sync ${userId}`,
      email: `${userId.toLowerCase()}@example.com`,
      inSite: true,
      ...extra,
    },
    idempotencyKey: `c-${userId}`,
  });
}

async function update(prior: RemoteObject, changes: Record<string, unknown>) {
  return calls.update({
    kind: 'ServiceAccount',
    address: address('ServiceAccount', prior.naturalKey),
    id: prior.id,
    prior,
    changes,
    idempotencyKey: `u-${prior.id}`,
  });
}

async function operate(
  kind: string,
  operation: 'create' | 'update' | 'delete' | 'reconfirm',
  naturalKey: string,
  attributes: Record<string, unknown>,
  more: Record<string, unknown> = {},
) {
  return (await operateStep({
    kind,
    operation,
    address: address(kind, naturalKey.toLowerCase()),
    name: naturalKey.toLowerCase(),
    naturalKey,
    attributes,
    ...more,
  })) as import('@roster/core').OperateResult;
}

describe('provider object', () => {
  it('declares its type, kinds and capabilities', () => {
    expect(provider.type).toBe('afas');
    expect(provider.displayName).toBe('AFAS Profit');
    expect(Object.keys(provider.kinds)).toEqual(['ServiceAccount', 'Group', 'Connector']);
    expect(provider.kinds.ServiceAccount.deleteMode).toBe('deactivate');
    expect(kindCapabilities(provider.kinds.Connector).read).toBe('none');
  });

  it('keeps only the session on the connection: the operations are the kinds’, manual steps the sandbox’s', async () => {
    expect(Object.getOwnPropertyNames(AfasConnection.prototype).sort()).toEqual([
      'close',
      'constructor',
      'stats',
    ]);
    const real = await connectAfas(
      request({ environmentId: '12345' }, { credentials: { token: new Secret('ABC', 'env:AFAS_TOKEN') } }),
    );
    expect(Object.keys(real).sort()).toEqual(['cfg', 'client']);
    await real.close();
  });

  it('reaches endpoint sandbox only through the sandbox entry, which starts the simulator first', async () => {
    await expect(connectAfas(request({ endpoint: 'sandbox' }))).rejects.toThrow(
      'provider afas: endpoint sandbox needs the AFAS Profit sandbox (@roster/provider-afas/sandbox) started first',
    );
  });
});

describe('users through KnUser and the GetConnectors', () => {
  it('creates a user with its groups, and lists it in spec shape', async () => {
    await api.ok('POST', '/groups', { id: 'INT-A', description: 'A' });
    await api.ok('POST', '/groups', { id: 'INT-B', description: 'B' });
    const created = await createAccount('12345.WS-A', {
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
    const listed = await calls.list('ServiceAccount');
    expect(listed).toEqual([created]);
    expect(await calls.read('ServiceAccount', '12345.ws-a')).toEqual(created);
    expect(await calls.read('ServiceAccount', 'NOBODY')).toBeUndefined();
  });

  it('lists many users over several pages with their groups', async () => {
    await api.ok('POST', '/groups', { id: 'INT', description: 'Integrations' });
    for (let i = 1; i <= 8; i++) await api.user(`U${i}`, {}, i % 2 ? ['INT'] : []);
    const listed = await calls.list('ServiceAccount');
    expect(listed.map((o) => o.naturalKey)).toEqual(['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7', 'U8']);
    expect(listed.map((o) => o.attributes.groups)).toEqual(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? [] : [{ ref: 'INT' }])),
    );
  });

  it('creates a blocked user as blocked (deactivated)', async () => {
    const created = await createAccount('WS-BLK', { blocked: true });
    expect(created.attributes.blocked).toBe(true);
    expect(created.deactivated).toBe(true);
  });

  it('surfaces KnUser refusals', async () => {
    const err = (await createAccount('WS-NOGRP', { groups: [{ ref: 'NOPE' }] }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err.message).toMatch(
      /^AFAS Profit failed to insert user WS-NOGRP \(KnUser\): User group 'NOPE' does not exist \(500/,
    );
  });

  it('inserts with every field the help page lists as mandatory, explicit, and the person (BcCo)', async () => {
    const created = await createAccount('WS-P', { person: '100234', windows: undefined });
    expect(created.attributes).toMatchObject({ person: '100234', windows: false, inSite: true });
    const rows = (await api.get('Profit_Users', {})).json.rows as Array<Record<string, unknown>>;
    expect(rows.find((r) => r.UserId === 'WS-P')).toMatchObject({
      PersonId: '100234',
      Connector: true,
      OutSite: false,
      Windows: false,
      InSite: true,
    });
    const changed = await update(created, { person: '100235' });
    expect(changed.attributes.person).toBe('100235');
  });

  it('updates fields, adds groups, blocks and unblocks', async () => {
    await api.ok('POST', '/groups', { id: 'INT-A', description: 'A' });
    let u = await createAccount('WS-U');
    u = await update(u, { name: 'Renamed', windows: true, groups: [{ ref: 'INT-A' }] });
    expect(u.attributes).toMatchObject({
      name: 'Renamed',
      windows: true,
      inSite: true,
      groups: [{ ref: 'INT-A' }],
      blocked: false,
    });
    u = await update(u, { blocked: true });
    expect(u.deactivated).toBe(true);
    u = await update(u, { blocked: false });
    expect(u.attributes.blocked).toBe(false);
  });

  it('leaves a group by resetting memberships (MtCd 0, 1…, 6) and ends unblocked', async () => {
    for (const g of ['INT-A', 'INT-B', 'INT-C']) await api.ok('POST', '/groups', { id: g, description: g });
    let u = await createAccount('WS-G', { groups: [{ ref: 'INT-A' }, { ref: 'INT-B' }] });
    u = await update(u, { groups: [{ ref: 'INT-B' }, { ref: 'INT-C' }] });
    expect(u.attributes).toMatchObject({ groups: [{ ref: 'INT-B' }, { ref: 'INT-C' }], blocked: false });
    // A user that is to be blocked stays blocked after the reset.
    u = await update(u, { groups: [], blocked: true });
    expect(u.attributes).toMatchObject({ groups: [], blocked: true });
  });

  it('never sends the token attributes, and has no delete', async () => {
    const u = await createAccount('WS-T', {
      connector: { ref: 'App', id: '1' },
      credentials: { token: Secret.pending('env:X') },
    });
    expect(u.attributes.connector).toBeUndefined();
    // KnUser has no delete: users are blocked, so the kind offers no delete at all.
    expect(provider.kinds.ServiceAccount.api?.delete).toBeUndefined();
    expect(kindCapabilities(provider.kinds.ServiceAccount).delete).toBe('none');
  });
});

describe('groups and app connectors', () => {
  it('reads groups through the memberships GetConnector; manual operations are refused as API calls', async () => {
    await api.ok('POST', '/groups', { id: 'INT', description: 'Integrations' });
    expect(await calls.list('Group')).toEqual([
      {
        id: 'Everybody',
        naturalKey: 'Everybody',
        attributes: { id: 'Everybody', description: 'All Profit users' },
      },
      { id: 'INT', naturalKey: 'INT', attributes: { id: 'INT', description: 'Integrations' } },
    ]);
    expect((await calls.read('Group', 'int'))?.naturalKey).toBe('INT');
    expect(provider.kinds.Group.api?.create).toBeUndefined();
    expect(kindCapabilities(provider.kinds.Group)).toMatchObject({ create: 'manual', update: 'manual' });
  });

  it('cannot read app connectors', async () => {
    await api.ok('POST', '/groups', { id: 'INT', description: 'Integrations' });
    await api.ok('POST', '/app-connectors', { description: 'Sync', group: 'INT' });
    expect('api' in provider.kinds.Connector).toBe(false);
    expect(kindCapabilities(provider.kinds.Connector).read).toBe('none');
  });
});

describe('manual steps through the sandbox console (operate)', () => {
  it('performs a whole guided setup; the issued token then works, only once everything is in place', async () => {
    const group = await operate('Group', 'create', 'INV-APP', {
      id: 'INV-APP',
      description: 'Invoice app users',
    });
    expect(group.object).toEqual({
      id: 'INV-APP',
      naturalKey: 'INV-APP',
      attributes: { id: 'INV-APP', description: 'Invoice app users' },
    });

    const created = await operate('Connector', 'create', 'Invoice sync', {
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
    let user = await createAccount('12345.WS-INVOICE', { groups: [{ ref: 'INV-APP' }], connector: null });
    const issued = await operate(
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

    const asUser = new AfasClient({ baseUrl: sim.apiUrl, token: token!, maxAttempts: 1 });
    const blocked = (await asUser.getRows('Profit_Users').catch((e: unknown) => e)) as Error;
    expect(blocked.message).toMatch(/App connector 'Invoice sync' is blocked \(401/);

    const unblocked = await operate('Connector', 'update', 'Invoice sync', app.attributes, {
      id: app.id,
      prior: app,
      changes: { blocked: false },
    });
    expect(unblocked.object?.attributes.blocked).toBe(false);
    expect((await asUser.getRows('Profit_Users')).map((r) => r.UserId)).toEqual(['12345.WS-INVOICE']);

    // Leaving the group (API) takes access away again, server-side.
    await update(user, { groups: [] });
    const out = (await asUser.getRows('Profit_Users').catch((e: unknown) => e)) as Error;
    expect(out.message).toMatch(/is not a member of user group INV-APP/);
  });

  it('rotates a token: the old one is deleted, the new one works', async () => {
    const { appConnector, token: old } = await api.tokenUser('WS-R');
    const user = (await calls.read('ServiceAccount', 'WS-R'))!;
    const prior = { ...user, attributes: { ...user.attributes, connector: { ref: 'App for WS-R' } } };
    const r = await operate('ServiceAccount', 'update', 'WS-R', prior.attributes, {
      id: 'WS-R',
      prior,
      changes: { connector: { ref: 'App for WS-R' } },
    });
    const fresh = r.secrets!.token!.reveal();
    expect(fresh).not.toBe(old);
    expect((await api.get('Profit_Users', {}, old)).status).toBe(401);
    expect((await api.get('Profit_Users', {}, fresh)).status).toBe(200);
    const tokens: Json[] = await api.ok('GET', `/app-connectors/${appConnector}/tokens`);
    expect(tokens.map((t) => t.description)).toEqual(['roster: ws-r']);
  });

  it('re-confirms a token that is there, and refuses one that is not', async () => {
    const { appConnector, tokenId } = await api.tokenUser('WS-C');
    const attrs = { userId: 'WS-C', connector: { ref: 'App for WS-C' } };
    expect(
      (await operate('ServiceAccount', 'reconfirm', 'WS-C', attrs, { id: 'WS-C' })).object?.naturalKey,
    ).toBe('WS-C');
    await api.ok('DELETE', `/app-connectors/${appConnector}/tokens/${tokenId}`);
    await expect(operate('ServiceAccount', 'reconfirm', 'WS-C', attrs, { id: 'WS-C' })).rejects.toThrow(
      "WS-C holds no token on app connector 'App for WS-C'",
    );
  });

  it('confirms an app connector only as the console shows it', async () => {
    await operate('Group', 'create', 'G1', { id: 'G1', description: 'first' });
    const declared = { description: 'Sync', group: { ref: 'G1' }, getConnectors: ['Profit_Users'] };
    const app = (await operate('Connector', 'create', 'Sync', declared)).object!;
    await expect(operate('Connector', 'reconfirm', 'Sync', declared, { id: app.id })).resolves.toBeDefined();
    await api.ok('PATCH', `/app-connectors/${app.id}`, { getConnectors: [], blocked: false });
    await expect(
      operate('Connector', 'reconfirm', 'Sync', { ...declared, blocked: true }, { id: app.id }),
    ).rejects.toThrow(
      'cannot confirm afas/Connector/sync: the sandbox shows that its getConnectors are none, not Profit_Users; blocked is false, not true',
    );
  });

  it('changes and deletes groups and app connectors; repeats a create without harm', async () => {
    await operate('Group', 'create', 'G1', { id: 'G1', description: 'first' });
    const again = await operate('Group', 'create', 'G1', { id: 'G1', description: 'second' });
    expect(again.object?.attributes.description).toBe('second');
    const changed = await operate(
      'Group',
      'update',
      'G1',
      { id: 'G1' },
      { id: 'G1', changes: { description: 'third' } },
    );
    expect(changed.object?.attributes.description).toBe('third');
    const app = (await operate('Connector', 'create', 'Sync', { description: 'Sync', group: { ref: 'G1' } }))
      .object!;
    const twice = (
      await operate('Connector', 'create', 'Sync', {
        description: 'Sync',
        group: { ref: 'G1' },
        getConnectors: ['Profit_Users'],
      })
    ).object!;
    expect(twice).toMatchObject({ id: app.id, attributes: { getConnectors: ['Profit_Users'] } });
    await expect(operate('Group', 'delete', 'G1', {}, { id: 'G1' })).rejects.toThrow(
      /still linked to app connector 'Sync'/,
    );
    expect(await operate('Connector', 'delete', 'Sync', {}, { id: app.id })).toEqual({});
    expect(await operate('Group', 'delete', 'G1', {}, { id: 'G1' })).toEqual({});
    expect(await calls.read('Group', 'G1')).toBeUndefined();
  });
});

describe('embedded sandbox (endpoint: sandbox)', () => {
  it('runs the simulator in-process, persisted under the sandbox directory, with no secret in its files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'afas-sandbox-'));
    const first = await openSandbox({ config: { environmentId: '54321' }, dir }, fast);
    const calls = kindCalls(first.conn);
    await first.operate({
      kind: 'Group',
      operation: 'create',
      address: 'afas/Group/g',
      name: 'g',
      naturalKey: 'G',
      attributes: { id: 'G', description: 'G' },
    });
    await calls.create({
      kind: 'ServiceAccount',
      address: 'afas/ServiceAccount/ws',
      attributes: { userId: 'WS', email: 'ws@example.com', inSite: true, groups: [{ ref: 'G' }] },
      idempotencyKey: 'k',
    });
    const app = (
      await first.operate({
        kind: 'Connector',
        operation: 'create',
        address: 'afas/Connector/a',
        name: 'a',
        naturalKey: 'A',
        attributes: { description: 'A', group: { ref: 'G' } },
      })
    ).object!;
    const r = await first.operate({
      kind: 'ServiceAccount',
      operation: 'update',
      address: 'afas/ServiceAccount/ws',
      name: 'ws',
      naturalKey: 'WS',
      id: 'WS',
      attributes: { userId: 'WS', connector: { ref: 'A', id: app.id } },
      changes: { connector: { ref: 'A', id: app.id } },
    });
    const data = /<data>(.*)<\/data>/.exec(r.secrets!.token!.reveal())![1]!;
    expect(first.conn.stats().apiCalls).toBeGreaterThan(0);
    // The environment number named the simulator's environment; the connection reaches its address.
    expect(first.started.config).toEqual({ type: 'afas', endpoint: first.sim.url });
    await first.close();
    expect(readdirSync(dir)).toContain('afas-54321.json');
    for (const f of readdirSync(dir)) expect(readFileSync(path.join(dir, f), 'utf8')).not.toContain(data);

    const second = await openSandbox({ config: { environmentId: '54321' }, dir }, fast);
    expect((await kindCalls(second.conn).list('ServiceAccount')).map((o) => o.naturalKey)).toEqual(['WS']);
    await second.close();
  });

  it('with declared credentials, the embedded sandbox accepts that token only', async () => {
    const token = new Secret('<token><version>1</version><data>ABCD</data></token>', 'env:AFAS_TOKEN');
    const s = await openSandbox({ credentials: { token } }, fast);
    expect((await kindCalls(s.conn).list('Group')).map((o) => o.naturalKey)).toEqual(['Everybody']);
    const other = new Secret('<token><version>1</version><data>OTHER</data></token>', 'env:AFAS_TOKEN');
    const refused = await s.connect({ token: other });
    await expect(kindCalls(refused).list('Group')).rejects.toThrow(/401/);
    await s.close();
  });
});
