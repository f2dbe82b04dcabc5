import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authorizationHeader, tokenXml } from '../client/token.js';
import { ANY_TOKEN, INSERT_DEFAULTS, type Json, RawApi } from './api.testing.js';
import { type Simulator, startSimulator } from './server.js';

let sim: Simulator;
let api: RawApi;

beforeEach(async () => {
  sim = await startSimulator();
  api = new RawApi(sim.url, undefined, sim.consoleToken);
});
afterEach(() => sim.close());

const users = async (params: Record<string, string> = {}) =>
  (await api.get('Profit_Users', params)).json.rows as Json[];
/** The Profit_UserGroups rows whose `field` equals `value`. */
const groupRows = async (field: 'UserId' | 'GroupId', value: string) =>
  (await api.get('Profit_UserGroups', { filterfieldids: field, filtervalues: value, operatortypes: '1' }))
    .json.rows as Json[];
const memberships = async (userId: string) =>
  (await groupRows('UserId', userId)).map((r) => r.GroupId).sort();

describe('KnUser insert and update', () => {
  it('inserts a user with 201 and no body, readable through Profit_Users', async () => {
    const r = await api.knUser('POST', '12345.WS-A', {
      MtCd: '1',
      Nm: 'Sync A',
      ...INSERT_DEFAULTS,
      Acon: false,
      EmAd: 'a@example.com',
      InSi: '1',
    });
    expect(r.status).toBe(201);
    expect(r.text).toBe('');
    expect(await users()).toEqual([
      {
        UserId: '12345.WS-A',
        Description: 'Sync A',
        UPN: null,
        Blocked: false,
        Email: 'a@example.com',
        Windows: false,
        Connector: false,
        OutSite: false,
        InSite: true,
        PersonId: null,
        EmployeeId: null,
      },
    ]);
  });

  it('accepts the key as @UsId on the element, and MtCd as a number', async () => {
    const r = await api.call('POST', '/connectors/KnUser', {
      KnUser: {
        Element: { '@UsId': 'WS-B', Fields: { MtCd: 6, Nm: 'B', ...INSERT_DEFAULTS, Awin: true } },
      },
    });
    expect(r.status).toBe(201);
    expect((await users())[0]).toMatchObject({ UserId: 'WS-B', Windows: true, Blocked: false });
  });

  const D = INSERT_DEFAULTS;
  it.each([
    [{ Nm: 'X', ...D }, /mandatory field for an insert missing: MtCd \(Entry code\)$/],
    [{ MtCd: '1', ...D }, /mandatory field for an insert missing: Nm \(Description\)$/],
    [
      { MtCd: '1', Nm: 'X', InSi: true },
      /mandatory fields for an insert missing: Awin \(Profit Windows\), Acon \(Connector\), Abac \(Backups from the command line\), Acom \(Command line\), Site \(OutSite\)$/,
    ],
    [{ MtCd: '1', Nm: 'X', ...D, Acom: null }, /missing: Acom \(Command line\)$/],
    [{ MtCd: '1', Nm: 'X', ...D, Site: true }, /OutSite \(Site\) needs an e-mail address \(EmAd\)/],
    [{ MtCd: '1', Nm: 'X', ...D, EmAd: 'not-an-address' }, /not a valid e-mail address/],
    [{ MtCd: '7', Nm: 'X', ...D }, /MtCd must be 0 to 6/],
    [{ MtCd: '1', Nm: 'X', ...D, Pw: 'secret' }, /'Pw' is no longer part/],
    [{ MtCd: '1', Nm: 'X', ...D, Colour: 'red' }, /field 'Colour' does not exist/],
    [{ MtCd: '1', Nm: 'X', ...D, InSi: 'maybe' }, /InSi must be true or false/],
    [{ MtCd: '1', Nm: 'X', ...D, GrId: 'NOPE' }, /User group 'NOPE' does not exist/],
    [{ MtCd: '5', Nm: 'X', ...D }, /password \(MtCd 5\) is not supported/],
  ])('refuses %j with 500 and the error body', async (fields, message) => {
    const r = await api.knUser('POST', 'WS-X', fields);
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toMatch(message);
    expect(r.json.errorNumber).toEqual(expect.any(Number));
    expect(r.json.profitLogReference).toMatch(/^[0-9A-F]{32}$/);
    expect(r.headers.get('x-profit-error')).toBe(r.json.externalMessage.replace(/[^\x20-\x7e]/g, '?'));
    expect(await users()).toEqual([]);
  });

  it('refuses an insert without UsId (neither @UsId nor Fields.UsId) as a missing mandatory field', async () => {
    const r = await api.call('POST', '/connectors/KnUser', {
      KnUser: { Element: { Fields: { MtCd: '1', Nm: 'X', ...D } } },
    });
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toMatch(/missing: UsId \(User\)$/);
  });

  it('demands no e-mail address, nor Windows or InSite, where AFAS does not', async () => {
    expect((await api.knUser('POST', 'WS-SYS', { MtCd: '1', Nm: 'System', ...D })).status).toBe(201);
    expect((await users())[0]).toMatchObject({
      UserId: 'WS-SYS',
      Email: null,
      Windows: false,
      InSite: false,
    });
  });

  it('keeps user ids unique regardless of case', async () => {
    await api.user('12345.WS-A');
    const r = await api.knUser('POST', '12345.ws-a', { MtCd: '1', Nm: 'again', ...INSERT_DEFAULTS });
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toBe("User '12345.WS-A' already exists");
  });

  it('updates only the fields sent; refuses an update that breaks the rules or names no user', async () => {
    await api.user('WS-A');
    expect((await api.knUser('PUT', 'WS-A', { Nm: 'Renamed', Awin: true })).status).toBe(201);
    expect((await users())[0]).toMatchObject({
      Description: 'Renamed',
      Windows: true,
      InSite: true,
      Email: 'ws-a@example.com',
    });
    expect((await api.knUser('PUT', 'WS-A', { EmAd: '' })).status).toBe(201);
    expect((await users())[0]).toMatchObject({ Email: null });
    const outSite = await api.knUser('PUT', 'WS-A', { Site: true });
    expect(outSite.json.externalMessage).toMatch(/OutSite \(Site\) needs an e-mail address/);
    const missing = await api.knUser('PUT', 'WS-NOBODY', { Nm: 'x' });
    expect(missing.json.externalMessage).toBe("User 'WS-NOBODY' does not exist");
  });

  it('links groups with MtCd 1, creates them with MtCd 3, and everyone is in the all-users group', async () => {
    await api.ok('POST', '/groups', { id: 'INT-A', description: 'Integrations A' });
    await api.user('WS-A', {}, ['INT-A']);
    expect(
      (await api.knUser('PUT', 'WS-A', { MtCd: '3', GrId: 'INT-NEW', GrDs: 'Made by KnUser' })).status,
    ).toBe(201);
    expect(await memberships('WS-A')).toEqual(['Everybody', 'INT-A', 'INT-NEW']);
    const groups = await groupRows('GroupId', 'INT-NEW');
    expect(groups).toEqual([{ GroupId: 'INT-NEW', Decription: 'Made by KnUser', UserId: 'WS-A' }]);
    const wrong = await api.knUser('PUT', 'WS-A', { MtCd: '2', GrId: 'INT-A' });
    expect(wrong.json.externalMessage).toMatch(/GrId links a user to a group only with MtCd 1 or 3/);
  });

  it('blocks with MtCd 2 keeping groups, strips groups with MtCd 0, unblocks with MtCd 6', async () => {
    await api.ok('POST', '/groups', { id: 'INT-A', description: 'A' });
    await api.ok('POST', '/groups', { id: 'INT-B', description: 'B' });
    await api.user('WS-A', {}, ['INT-A', 'INT-B']);
    await api.knUser('PUT', 'WS-A', { MtCd: '2' });
    expect((await users())[0].Blocked).toBe(true);
    expect(await memberships('WS-A')).toEqual(['Everybody', 'INT-A', 'INT-B']);
    await api.knUser('PUT', 'WS-A', { MtCd: '6' });
    expect((await users())[0].Blocked).toBe(false);
    await api.knUser('PUT', 'WS-A', { MtCd: 0 });
    expect((await users())[0].Blocked).toBe(true);
    expect(await memberships('WS-A')).toEqual(['Everybody']);
  });

  it('renames with MtCd 4, keeping groups and tokens', async () => {
    const t = await api.tokenUser('WS-OLD');
    expect((await api.knUser('PUT', 'WS-OLD', { MtCd: '4', UsIdNew: 'WS-NEW' })).status).toBe(201);
    expect((await users()).map((u) => u.UserId)).toEqual(['WS-NEW']);
    expect(await memberships('WS-NEW')).toEqual(['Everybody', 'INT-APP']);
    expect((await api.get('Profit_Users', {}, t.token)).status).toBe(200);
  });

  it('has no delete', async () => {
    await api.user('WS-A');
    const r = await api.call('DELETE', '/connectors/KnUser/KnUser/UsId/WS-A');
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toMatch(/does not delete users/);
  });
});

describe('GetConnectors', () => {
  beforeEach(async () => {
    for (const id of ['U03', 'U01', 'U05', 'U02', 'U04'])
      await api.user(id, id === 'U04' ? { Awin: true } : {});
  });

  it('applies skip and take (defaults 0 and 100) and orderbyfieldids, descending with -', async () => {
    const page = await api.get('Profit_Users', { skip: '1', take: '2', orderbyfieldids: '-UserId' });
    expect(page.json).toMatchObject({ skip: 1, take: 2 });
    expect(page.json.rows.map((r: Json) => r.UserId)).toEqual(['U04', 'U03']);
    const all = await api.get('Profit_Users');
    expect(all.json).toMatchObject({ skip: 0, take: 100 });
    expect(all.json.rows).toHaveLength(5);
    expect((await api.get('Profit_Users', { skip: '-1', take: '-1' })).json.rows).toHaveLength(5);
    expect((await api.get('Profit_Users', { skip: '10', take: '5' })).json.rows).toEqual([]);
  });

  it('answers skip=2&take=-1 with 500 "An unexpected error has occurred."', async () => {
    const r = await api.get('Profit_Users', { skip: '2', take: '-1' });
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toBe('An unexpected error has occurred.');
  });

  it('filters with parallel lists: "," is AND, ";" is OR, case-insensitive', async () => {
    const ids = async (params: Record<string, string>) => (await users(params)).map((r) => r.UserId).sort();
    expect(await ids({ filterfieldids: 'UserId', filtervalues: 'u02', operatortypes: '1' })).toEqual(['U02']);
    expect(
      await ids({ filterfieldids: 'UserId;UserId', filtervalues: 'U01;U05', operatortypes: '1;1' }),
    ).toEqual(['U01', 'U05']);
    expect(
      await ids({ filterfieldids: 'UserId,Windows', filtervalues: 'U0,1', operatortypes: '10,1' }),
    ).toEqual(['U04']);
    expect(await ids({ filterfieldids: 'UserId', filtervalues: 'U03', operatortypes: '2' })).toEqual([
      'U03',
      'U04',
      'U05',
    ]);
    expect(await ids({ filterfieldids: 'UPN', filtervalues: '', operatortypes: '8' })).toHaveLength(5);
    expect(await ids({ filterfieldids: 'UserId', filtervalues: '3', operatortypes: '11' })).toEqual([
      'U01',
      'U02',
      'U04',
      'U05',
    ]);
  });

  it('filters with filterjson: Fields ANDed within a Filter, Filters ORed', async () => {
    const filterjson = JSON.stringify({
      Filters: {
        Filter: [
          { '@FilterId': 'a', Field: [{ '@FieldId': 'UserId', '@OperatorType': '1', '#text': 'U01' }] },
          {
            '@FilterId': 'b',
            Field: [
              { '@FieldId': 'UserId', '@OperatorType': '13', '#text': '4' },
              { '@FieldId': 'Windows', '@OperatorType': '1', '#text': 'true' },
            ],
          },
        ],
      },
    });
    expect((await users({ filterjson })).map((r) => r.UserId).sort()).toEqual(['U01', 'U04']);
  });

  it('names an unknown filter field, and refuses mismatched lists', async () => {
    const r = await api.get('Profit_Users', {
      filterfieldids: 'Colour',
      filtervalues: 'x',
      operatortypes: '1',
    });
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toBe("Connector field 'Colour' not found");
    const m = await api.get('Profit_Users', {
      filterfieldids: 'UserId,Email',
      filtervalues: 'x',
      operatortypes: '1',
    });
    expect(m.status).toBe(400);
  });

  it('answers a query string over 2049 characters with a bare 404', async () => {
    const r = await api.get('Profit_Users', {
      filterfieldids: 'UserId',
      filtervalues: 'x'.repeat(2100),
      operatortypes: '1',
    });
    expect(r.status).toBe(404);
    expect(r.text).toBe('');
  });

  it('runs out of memory past 150,000 cells in one answer', async () => {
    await sim.store.transact((tx) => {
      for (let i = 0; i < 14_000; i++) {
        const userId = `BULK${String(i).padStart(5, '0')}`;
        tx.put('user', {
          key: userId.toLowerCase(),
          userId,
          name: userId,
          email: `${userId}@example.com`,
          windows: false,
          inSite: true,
          outSite: false,
          blocked: false,
          createdAt: '2025-01-01T00:00:00Z',
          modifiedAt: '2025-01-01T00:00:00Z',
        });
      }
    });
    const all = await api.get('Profit_Users', { skip: '-1', take: '-1' });
    expect(all.status).toBe(500);
    expect(all.json.externalMessage).toMatch(/Out of memory/);
    const page = await api.get('Profit_Users', { skip: '0', take: '10000' });
    expect(page.json.rows).toHaveLength(10_000);
  });

  it('routes /ProfitRestServices and /profitrestservices alike, and serves /MetaInfo and /metainfo/get', async () => {
    const r = await fetch(`${sim.url}/profitrestservices/connectors/profit_users?take=1`, {
      headers: { authorization: authorizationHeader(ANY_TOKEN) },
    });
    expect(r.status).toBe(200);
    const meta = await api.call('GET', '/MetaInfo');
    expect(meta.json.getConnectors.map((c: Json) => c.id)).toEqual(['Profit_Users', 'Profit_UserGroups']);
    expect(meta.json.updateConnectors).toEqual([{ id: 'KnUser', description: 'Users' }]);
    const fields = await api.call('GET', '/metainfo/get/Profit_UserGroups');
    expect(fields.json.fields.map((f: Json) => f.id)).toEqual(['GroupId', 'Decription', 'UserId']);
  });

  it('lists a group without members as one row with UserId null', async () => {
    await api.ok('POST', '/groups', { id: 'EMPTY', description: 'Nobody yet' });
    const rows = await groupRows('GroupId', 'EMPTY');
    expect(rows).toEqual([{ GroupId: 'EMPTY', Decription: 'Nobody yet', UserId: null }]);
  });
});

describe('authentication', () => {
  it('refuses a missing or malformed token with 401 and no body', async () => {
    for (const auth of [
      undefined,
      'Bearer abc',
      'AfasToken !!!',
      `AfasToken ${Buffer.from('<x/>').toString('base64')}`,
    ]) {
      const r = await fetch(`${api.url}/ProfitRestServices/connectors/Profit_Users`, {
        headers: auth ? { authorization: auth } : {},
      });
      expect(r.status).toBe(401);
      expect(await r.text()).toBe('');
    }
  });

  it('refuses a plain-text (not Base64) token with 500', async () => {
    const r = await fetch(`${api.url}/ProfitRestServices/connectors/Profit_Users`, {
      headers: { authorization: `AfasToken ${ANY_TOKEN}` },
    });
    expect(r.status).toBe(500);
    expect(((await r.json()) as Json).externalMessage).toMatch(/Plain-text tokens/);
  });

  it('with declared credentials accepts only that token and issued user tokens', async () => {
    const own = tokenXml('A'.repeat(64));
    const closed = await startSimulator({ token: own });
    try {
      const other = new RawApi(closed.url, tokenXml('B'.repeat(64)));
      expect((await other.get('Profit_Users')).status).toBe(401);
      const mine = new RawApi(closed.url, own, closed.consoleToken);
      expect((await mine.get('Profit_Users')).status).toBe(200);
      // The data part alone is the same token.
      expect((await mine.get('Profit_Users', {}, 'A'.repeat(64))).status).toBe(200);
      const { token } = await mine.tokenUser('WS-T');
      expect((await mine.get('Profit_Users', {}, token)).status).toBe(200);
    } finally {
      await closed.close();
    }
  });
});

describe('who may exchange data (the app connector rules, server-side)', () => {
  it('lets a member with a token use a GetConnector of an unblocked app connector', async () => {
    const { token } = await api.tokenUser('WS-OK');
    const r = await api.get('Profit_Users', {}, token);
    expect(r.status).toBe(200);
    expect(r.json.rows.map((x: Json) => x.UserId)).toEqual(['WS-OK']);
    const meta = await api.call('GET', '/MetaInfo', undefined, token);
    expect(meta.json).toMatchObject({
      getConnectors: [{ id: 'Profit_Users' }],
      updateConnectors: [{ id: 'KnUser' }],
      info: { appName: 'App for WS-OK', group: 'INT-APP (WS-OK)', tokenExpiry: '0' },
    });
  });

  it('refuses while the app connector is blocked', async () => {
    const { token, appConnector } = await api.tokenUser('WS-B', { blocked: true });
    const r = await api.get('Profit_Users', {}, token);
    expect(r.status).toBe(401);
    expect(r.json.externalMessage).toBe("App connector 'App for WS-B' is blocked");
    const access = await api.ok('GET', `/access?userId=WS-B&appConnector=${appConnector}`);
    expect(access).toMatchObject({
      allowed: false,
      problems: ["App connector 'App for WS-B' is blocked"],
      tokens: 1,
    });
  });

  it('refuses a user who is not a member of the linked group', async () => {
    const { token } = await api.tokenUser('WS-OUT', { member: false });
    const r = await api.get('Profit_Users', {}, token);
    expect(r.status).toBe(401);
    expect(r.json.externalMessage).toBe(
      "User WS-OUT is not a member of user group INT-APP, which is linked to app connector 'App for WS-OUT'",
    );
  });

  it('refuses a blocked user, a deleted token, and a GetConnector not on the app connector', async () => {
    const { token, appConnector, tokenId } = await api.tokenUser('WS-C');
    const other = await api.get('Profit_UserGroups', {}, token);
    expect(other.status).toBe(401);
    expect(other.json.externalMessage).toBe(
      'GetConnector not supported for this app or the user is not authorized',
    );
    await api.knUser('PUT', 'WS-C', { MtCd: '2' });
    expect((await api.get('Profit_Users', {}, token)).json.externalMessage).toBe('User WS-C is blocked');
    await api.knUser('PUT', 'WS-C', { MtCd: '6' });
    expect((await api.get('Profit_Users', {}, token)).status).toBe(200);
    await api.ok('DELETE', `/app-connectors/${appConnector}/tokens/${tokenId}`);
    const gone = await api.get('Profit_Users', {}, token);
    expect(gone.status).toBe(401);
    expect(gone.text).toBe('');
    const access = await api.ok('GET', `/access?userId=WS-C&appConnector=${appConnector}`);
    expect(access.problems).toEqual(["User WS-C has no token for app connector 'App for WS-C'"]);
  });

  it('lets a user token write through KnUser only if KnUser is on its app connector', async () => {
    const { token, appConnector } = await api.tokenUser('WS-W');
    expect((await api.knUser('PUT', 'WS-W', { Nm: 'self' }, token)).status).toBe(201);
    await api.ok('PATCH', `/app-connectors/${appConnector}`, { updateConnectors: [] });
    const r = await api.knUser('PUT', 'WS-W', { Nm: 'again' }, token);
    expect(r.status).toBe(401);
    expect(r.json.externalMessage).toBe(
      'UpdateConnector not supported for this app or the user is not authorized',
    );
  });
});

describe('the console (standing in for the UI)', () => {
  it('creates app connectors blocked, shows a token once, and keeps only its hash', async () => {
    await api.ok('POST', '/groups', { id: 'INT', description: 'Integrations' });
    const refused = await api.console('POST', '/app-connectors', {
      description: 'Sync',
      group: 'INT',
      blocked: false,
    });
    expect(refused.status).toBe(400);
    const a = await api.ok('POST', '/app-connectors', {
      description: 'Sync',
      group: 'INT',
      getConnectors: ['Profit_Users'],
    });
    expect(a).toMatchObject({ id: '1', description: 'Sync', group: 'INT', blocked: true, tokens: 0 });
    expect((await api.console('POST', '/app-connectors', { description: 'sync', group: 'INT' })).status).toBe(
      409,
    );
    await api.user('WS-S');
    const notMember = await api.console('POST', `/app-connectors/${a.id}/tokens`, {
      userId: 'WS-S',
      description: 'd',
    });
    expect(notMember.status).toBe(409);
    expect(notMember.json.error).toMatch(/not a member of user group INT/);
    await api.ok('PUT', '/groups/INT/members/WS-S');
    const t = await api.ok('POST', `/app-connectors/${a.id}/tokens`, { userId: 'WS-S', description: 'd' });
    expect(t.token).toMatch(/^<token><version>1<\/version><data>[0-9A-F]{64}<\/data><\/token>$/);
    expect(
      (await api.console('POST', `/app-connectors/${a.id}/tokens`, { userId: 'WS-S', description: 'D' }))
        .status,
    ).toBe(409);
    const list = await api.ok('GET', `/app-connectors/${a.id}/tokens`);
    expect(list).toEqual([{ id: t.id, userId: 'WS-S', description: 'd', createdAt: expect.any(String) }]);
    const state = JSON.stringify(await api.ok('GET', '/state'));
    expect(state).not.toContain(t.token.match(/<data>(.*)<\/data>/)[1]);
    expect(state).not.toContain('hash');
  });

  it('refuses to delete a group linked to an app connector, or the all-users group', async () => {
    await api.ok('POST', '/groups', { id: 'INT', description: 'Integrations' });
    const a = await api.ok('POST', '/app-connectors', { description: 'Sync', group: 'INT' });
    expect((await api.console('DELETE', '/groups/INT')).json.error).toMatch(
      /still linked to app connector 'Sync'/,
    );
    expect((await api.console('DELETE', '/groups/Everybody')).status).toBe(409);
    await api.ok('DELETE', `/app-connectors/${a.id}`);
    expect((await api.console('DELETE', '/groups/INT')).status).toBe(204);
  });

  it('sets fault switches', async () => {
    expect(await api.ok('POST', '/faults', { throttleRate: 1, retryAfterSeconds: 3 })).toMatchObject({
      throttleRate: 1,
    });
    const r = await api.get('Profit_Users');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    await api.ok('POST', '/faults', { throttleRate: 0, errorRate: 1 });
    expect([500, 503]).toContain((await api.get('Profit_Users')).status);
    expect((await api.console('POST', '/faults', { errorRate: 2 })).status).toBe(400);
    expect((await api.console('GET', '/nothing-here')).status).toBe(404);
  });

  it('lists a GetConnector’s data set to the console, without a token and without faults', async () => {
    const withToken = await startSimulator({ token: tokenXml('ROSTER') });
    try {
      const console = new RawApi(withToken.url, undefined, withToken.consoleToken);
      await console.ok('POST', '/groups', { id: 'INT', description: 'Integrations' });
      // The API refuses a token it does not know, and fails under faults; the console shows the rows.
      expect((await console.get('Profit_UserGroups')).status).toBe(401);
      await console.ok('POST', '/faults', { errorRate: 1 });
      expect([500, 503]).toContain((await console.get('Profit_UserGroups')).status);
      const rows = await console.ok(
        'GET',
        '/connectors/Profit_UserGroups?filterfieldids=GroupId&filtervalues=INT&operatortypes=1',
      );
      expect(rows).toMatchObject({ rows: [{ GroupId: 'INT', UserId: null }] });
      expect((await console.console('GET', '/connectors/Profit_Debtors')).status).toBe(404);
      expect((await console.console('GET', '/connectors/Profit_Users?skip=2&take=-1')).status).toBe(400);
      expect((await fetch(`${withToken.url}/__sandbox/connectors/Profit_Users`)).status).toBe(401);
    } finally {
      await withToken.close();
    }
  });
});

describe('the OTP token flow', () => {
  it('mails a one-time password to a member and exchanges it for a token once', async () => {
    await api.ok('POST', '/groups', { id: 'INT', description: 'Integrations' });
    await api.user('WS-O', {}, ['INT']);
    const a = await api.ok('POST', '/app-connectors', {
      description: 'Portal',
      group: 'INT',
      getConnectors: ['Profit_Users'],
    });
    await api.ok('PATCH', `/app-connectors/${a.id}`, { blocked: false });
    const env = (await api.ok('GET', '/state')).tables.setting[0].environmentKey;
    const ask = { apiKey: a.apiKey, apiToken: env, userid: 'ws-o@example.com' };
    const req = await api.call('POST', '/otprequest', ask, null);
    expect(req.status).toBe(200);
    expect(req.text).toBe('');
    const [mail] = await api.ok('GET', '/outbox');
    expect(mail).toMatchObject({ to: 'ws-o@example.com', subject: 'Portal: one-time password' });
    const wrong = await api.call('POST', '/otpvalidation', { ...ask, otp: 'nope' }, null);
    expect(wrong.status).toBe(500);
    const ok = await api.call('POST', '/otpvalidation', { ...ask, otp: mail.otp }, null);
    expect(ok.json.token).toMatch(/^<token>.*<\/token>\r\n$/);
    expect((await api.get('Profit_Users', {}, ok.json.token.trim())).status).toBe(200);
    expect((await api.call('POST', '/otpvalidation', { ...ask, otp: mail.otp }, null)).status).toBe(500);
  });

  it('refuses a user outside the app connector group', async () => {
    await api.ok('POST', '/groups', { id: 'INT', description: 'Integrations' });
    await api.user('WS-N');
    const a = await api.ok('POST', '/app-connectors', { description: 'Portal', group: 'INT' });
    const env = (await api.ok('GET', '/state')).tables.setting[0].environmentKey;
    const r = await api.call(
      'POST',
      '/otprequest',
      { apiKey: a.apiKey, apiToken: env, userId: 'WS-N' },
      null,
    );
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toMatch(/not a member of user group INT/);
  });
});
