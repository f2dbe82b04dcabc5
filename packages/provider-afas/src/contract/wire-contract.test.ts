import { type ConnectRequest, type Logger, type RemoteObject, Secret, type TestRequest } from '@roster/core';
import { contractChecker, type RecordingProxy, recordSimulator, type WireExchange } from '@roster/sim-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AfasConnection } from '../connection.js';
import { connectAfas } from '../provider.js';
import { RawApi } from '../sandbox/api.testing.js';
import { kindCalls } from '../sandbox/sandbox.testing.js';
import { type Simulator, startSimulator } from '../sandbox/server.js';

// roster's AFAS client and the simulator, held to AFAS's published OpenAPI document: the real
// client drives the real simulator through a recording proxy, and every exchange is checked
// against `afas.wire-contract.json` (schemas transcribed from the vendor; see its `source`).

const checker = contractChecker(new URL('./afas.wire-contract.json', import.meta.url));

const quiet: Logger = { info() {}, warn() {}, debug() {} };
const ROSTER_TOKEN = '<token><version>1</version><data>0123456789ABCDEF</data></token>';

let sim: Simulator;
let proxy: RecordingProxy;
let conn: AfasConnection;
let calls: ReturnType<typeof kindCalls>;
/** The console (Profit's UI), straight to the simulator: not part of the vendor's API, not recorded. */
let ui: RawApi;

beforeAll(async () => {
  sim = await startSimulator({ token: ROSTER_TOKEN });
  proxy = await recordSimulator(sim);
  conn = await connectAfas(
    {
      name: 'afas',
      config: { type: 'afas', endpoint: proxy.url },
      credentials: { token: new Secret(ROSTER_TOKEN, 'env:AFAS_TOKEN') },
      readOnly: false,
      log: quiet,
    } satisfies ConnectRequest,
    // Pages of 2 rows, so every refresh reads several pages.
    { sleep: async () => {}, pageSize: 2 },
  );
  calls = kindCalls(conn);
  ui = new RawApi(sim.url, ROSTER_TOKEN, sim.consoleToken);
});
afterAll(async () => {
  await conn.close();
  await proxy.close();
});

const address = (userId: string) => `afas/ServiceAccount/${userId.toLowerCase()}`;

async function create(userId: string, extra: Record<string, unknown> = {}): Promise<RemoteObject> {
  return calls.create({
    kind: 'ServiceAccount',
    address: address(userId),
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

async function update(prior: RemoteObject, changes: Record<string, unknown>): Promise<RemoteObject> {
  return calls.update({
    kind: 'ServiceAccount',
    address: address(prior.naturalKey),
    id: prior.id,
    prior,
    changes,
    idempotencyKey: `u-${prior.id}-${Object.keys(changes).join(',')}`,
  });
}

function testRequest(userId: string, token: string): TestRequest {
  return {
    kind: 'ServiceAccount',
    address: address(userId),
    id: userId,
    naturalKey: userId,
    attributes: {
      userId,
      email: `${userId.toLowerCase()}@example.com`,
      connector: { ref: `App for ${userId}` },
    },
    credentials: { token: new Secret(token, 'file:secrets/ws.token') },
  };
}

/** AfasToken scheme (components.securitySchemes.AfasToken): 'AfasToken ' + Base64 of the XML token. */
function afasTokenProblems(exchanges: readonly WireExchange[]): string[] {
  return exchanges.flatMap((x) => {
    const h = String(x.requestHeaders.authorization ?? '');
    const m = /^AfasToken ([A-Za-z0-9+/]+={0,2})$/.exec(h);
    const xml = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    return /^<token><version>1<\/version><data>[^<]+<\/data><\/token>$/.test(xml)
      ? []
      : [`${x.method} ${x.url}: Authorization is not 'AfasToken ' + Base64 of the XML token`];
  });
}

describe('AFAS wire contract (OpenAPI: Organisaties en personen 6.6.9)', () => {
  it('every request roster sends and every answer it reads follow the vendor’s schemas', async () => {
    // Groups are made by hand in the Authorisation tool.
    for (const id of ['INT-A', 'INT-B']) await ui.ok('POST', '/groups', { id, description: `${id} users` });

    // Insert (every mandatory field), group links (MtCd 1 + GrId), a person (BcCo).
    let ws = await create('12345.WS-1', { person: '100234', groups: [{ ref: 'INT-A' }, { ref: 'INT-B' }] });
    expect(ws.attributes).toMatchObject({ person: '100234', groups: [{ ref: 'INT-A' }, { ref: 'INT-B' }] });
    for (const u of ['12345.WS-2', '12345.WS-3', '12345.WS-4'])
      await create(u, { groups: [{ ref: 'INT-B' }] });
    await create('12345.WS-5', { blocked: true });

    // Refresh: both GetConnectors, several pages each (2 rows a page), ordered.
    const users = await calls.list('ServiceAccount');
    expect(users.map((o) => o.naturalKey)).toEqual([
      '12345.WS-1',
      '12345.WS-2',
      '12345.WS-3',
      '12345.WS-4',
      '12345.WS-5',
    ]);
    const groups = (await calls.list('Group')).map((o) => o.naturalKey);
    expect(groups).toEqual(expect.arrayContaining(['INT-A', 'INT-B']));

    // Update fields, leave a group (MtCd 0, MtCd 1 per remaining group, MtCd 6), block and unblock.
    ws = await update(ws, { name: 'Invoice sync', windows: false, person: '100235' });
    ws = await update(ws, { groups: [{ ref: 'INT-A' }] });
    expect(ws.attributes).toMatchObject({ groups: [{ ref: 'INT-A' }], blocked: false, person: '100235' });
    ws = await update(ws, { blocked: true });
    ws = await update(ws, { blocked: false });
    expect(ws.attributes.blocked).toBe(false);

    // An error: inserting a user that exists is refused with 500 and AFAS's error body.
    await expect(create('12345.ws-1')).rejects.toThrow(/User '12345\.WS-1' already exists \(500/);

    // Token flow (roster test): a person adds the app connector and the user's token in Profit's
    // UI; roster signs in with the user's own token (MetaInfo) and reads one row.
    const app = await ui.ok('POST', '/app-connectors', {
      description: 'App for 12345.WS-1',
      group: 'INT-A',
      getConnectors: ['Profit_Users'],
      updateConnectors: [],
    });
    await ui.ok('PATCH', `/app-connectors/${app.id}`, { blocked: false });
    const issued = await ui.ok('POST', `/app-connectors/${app.id}/tokens`, {
      userId: '12345.WS-1',
      description: 'roster: ws-1',
    });
    const tested = await calls.test(testRequest('12345.WS-1', String(issued.token)));
    expect(tested).toMatchObject({ authenticated: true, permission: { ok: true } });
    // A token AFAS does not know: 401 with no body.
    const refused = await calls.test(
      testRequest('12345.WS-1', '<token><version>1</version><data>FFFFFFFFFFFFFFFF</data></token>'),
    );
    expect(refused.authenticated).toBe(false);
    // roster's own token is no user token of an app connector: MetaInfo names no user group.
    const own = await calls.test(testRequest('12345.WS-1', ROSTER_TOKEN));
    expect(own).toMatchObject({
      authenticated: false,
      message: expect.stringMatching(/names no user group/),
    });

    const x = proxy.exchanges;
    expect(x.map((e) => e.status)).toEqual(expect.arrayContaining([200, 201, 401, 500]));
    // Paging really happened: a GetConnector read past its first page.
    expect(x.some((e) => /Profit_Users\?.*skip=2\b/.test(e.url))).toBe(true);
    expect(x.some((e) => /Profit_UserGroups\?.*skip=2\b/.test(e.url))).toBe(true);
    expect(checker.check(x)).toEqual([]);
    expect(checker.uncovered(x)).toEqual([]);
    expect(afasTokenProblems(x)).toEqual([]);
  });

  it('reports a departure: what the client or the simulator sent before they followed the vendor', () => {
    const seen = proxy.exchanges;
    const insert = seen.find((e) => e.method === 'POST' && e.status === 201)!;
    const read = seen.find(
      (e) => e.url.includes('Profit_Users?') && !e.url.includes('filter') && e.status === 200,
    )!;
    const body = JSON.parse(insert.requestBody) as {
      KnUser: { Element: { Fields: Record<string, unknown> } };
    };
    const withFields = (f: (fields: Record<string, unknown>) => Record<string, unknown>): WireExchange => ({
      ...insert,
      requestBody: JSON.stringify({ KnUser: { Element: { Fields: f({ ...body.KnUser.Element.Fields }) } } }),
    });
    const without = (...names: string[]) =>
      withFields((f) => Object.fromEntries(Object.entries(f).filter(([k]) => !names.includes(k))));
    const problems = checker.check([
      // The client before: no Acon/Abac/Acom/Site, and MtCd as a number.
      without('Acon', 'Abac', 'Acom', 'Site'),
      withFields((f) => ({ ...f, MtCd: 1 })),
      withFields((f) => ({ ...f, Pw: 'secret' })),
      // The simulator before: a missing mandatory field answered 400, which KnUser does not document.
      { ...insert, status: 400, responseBody: '{"externalMessage":"KnUser: Nm is required"}' },
      // Two operators in one filter: the spec types operatortypes as one number.
      { ...read, url: `${read.url}&filterfieldids=UserId,UserId&filtervalues=a,b&operatortypes=1,1` },
      { ...read, responseBody: '{"skip":0,"take":2,"rows":[{"UserId":"A","Colour":"red"}]}' },
      { ...read, requestHeaders: { ...read.requestHeaders, authorization: undefined } },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(
        /^POST \/ProfitRestServices\/connectors\/KnUser \[user\.insert\]: request body: .*must have required property 'Acon'.*'Abac'.*'Acom'.*'Site'/,
      ),
      expect.stringMatching(/\[user\.insert\]: request body: \/KnUser\/Element\/Fields\/MtCd must be string/),
      expect.stringMatching(/\[user\.insert\]: request body: .*must NOT have additional properties \(Pw\)/),
      'POST /ProfitRestServices/connectors/KnUser [user.insert]: status 400 is not an answer the vendor documents for this operation',
      expect.stringMatching(/\[users\.read\]: query parameter operatortypes="1,1"/),
      expect.stringMatching(
        /\[users\.read\]: response 200: \/rows\/0 must NOT have additional properties \(Colour\)/,
      ),
      expect.stringMatching(/\[users\.read\]: request lacks the Authorization header/),
    ]);
  });
});
