import { Secret } from '@roster/core';
import { contractChecker, type RecordingProxy, recordSimulator, type WireExchange } from '@roster/sim-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutotaskClient, clearZoneCache } from '../client/client.js';
import { AutotaskApiError } from '../client/errors.js';
import { AutotaskConnection } from '../connection.js';
import { ApiUsers } from '../kinds/service-account/api-users.js';
import { signInAsApiUser } from '../kinds/service-account/sign-in.js';
import { RawApi } from '../sandbox/api.testing.js';
import { type Simulator, startSimulator } from '../sandbox/server.js';

// roster's Autotask client and its simulator, held to the vendor's published contract: the real
// client drives the real simulator through a recording proxy, and every exchange is checked against
// the JSON Schemas transcribed from Autotask's swagger (autotask.wire-contract.json, its `source`
// says from where and what is inferred). A field, header, status or path the vendor does not
// document fails here, whichever side departs.

const checker = contractChecker(new URL('./autotask.wire-contract.json', import.meta.url));
const roster = {
  username: 'roster-api@example.com',
  secret: 'roster-secret-value',
  integrationCode: 'ROSTERCODE',
};

let sim: Simulator;
let proxy: RecordingProxy;
let exchanges: WireExchange[];

beforeAll(async () => {
  clearZoneCache();
  let publicUrl: string | undefined;
  sim = await startSimulator({ credentials: roster, publicUrl: () => publicUrl });
  proxy = await recordSimulator(sim);
  publicUrl = proxy.url;
  const console = new RawApi(sim.url, undefined, sim.consoleToken);
  // More than two pages of resources (500 a page), some of them API users.
  await console.console('POST', '/seed', { resources: 1050, apiUsers: 20 });
  await console.console('POST', '/security-levels', {
    name: 'Alerts (API)',
    copiedFrom: "API User (system) Can't Read Costs (API-only)",
    permissions: { 'Service Desk › Tickets': ['View', 'Add', 'Edit'] },
  });
  const alerts = await console.console('POST', '/api-users', {
    firstName: 'Office Protect',
    lastName: 'Alerts',
    email: 'alerts@example.com',
    securityLevel: 'Alerts (API)',
    integrationVendor: 'Office Protect - Alert Integration',
  });

  const client = new AutotaskClient({
    zoneLookupUrl: `${proxy.url}/ATServicesRest`,
    credentials: roster,
    sleep: async () => {},
    maxAttempts: 1,
  });
  const users = new ApiUsers(client);
  // Refresh: zone lookup, threshold, the picklist read, and every page through nextPageUrl.
  const listed = await users.list();
  expect(listed.length).toBe(1072);
  const mine = listed.find((o) => o.naturalKey === 'alerts@example.com')!;
  expect(mine.conflict).toBeUndefined();
  expect(listed.find((o) => o.naturalKey === 'admin@roster-sandbox.local')?.conflict).toBeDefined();
  // Update (PATCH, then the read back by id), a threshold read, a read of an id that does not exist.
  const after = await users.update(mine.id, mine, { firstName: 'Office Protect (alerts)', active: true });
  expect(after.attributes.firstName).toBe('Office Protect (alerts)');
  expect((await client.threshold()).externalRequestThreshold).toBe(10_000);
  expect(await client.get('Resources', 1)).toBeUndefined();
  // Errors: a refused write (500 with errors), and an integration code that is not the caller's.
  const refused = await client
    .patch('Resources', { id: Number(mine.id), email: 'not-an-email' })
    .catch((e) => e);
  expect(refused).toBeInstanceOf(AutotaskApiError);
  expect((refused as AutotaskApiError).status).toBe(500);
  const wrongCode = await (await client.signedInAs({ integrationCode: 'NOTROSTERSCODE' }))
    .threshold()
    .catch((e) => e);
  expect((wrongCode as AutotaskApiError).apiMessages).toEqual(['IntegrationCode is invalid.']);
  // roster test: signed in as the API user, it reads itself and queries Tickets.
  const tested = await signInAsApiUser({
    connection: new AutotaskConnection(client),
    kind: 'ServiceAccount',
    address: 'autotask-prod/ServiceAccount/office-protect',
    id: mine.id,
    naturalKey: mine.naturalKey,
    attributes: {},
    credentials: {
      secret: new Secret(alerts.secret, 'file:alerts.secret'),
      integrationCode: new Secret(alerts.trackingIdentifier, 'file:alerts.tracking-id'),
    },
  });
  expect(tested).toMatchObject({ authenticated: true, permission: { ok: true } });
  // A zone lookup for a username no database has.
  const nobody = new AutotaskClient({
    zoneLookupUrl: `${proxy.url}/ATServicesRest`,
    credentials: { ...roster, username: 'nobody@example.com' },
    sleep: async () => {},
    maxAttempts: 1,
  });
  await expect(nobody.apiRoot()).rejects.toThrow(/Zone information could not be determined/);
  exchanges = [...proxy.exchanges];
});

afterAll(async () => {
  await proxy?.close();
});

describe('the Autotask wire contract (the vendor’s swagger)', () => {
  it('is what the client sends and the simulator answers, for every operation roster uses', () => {
    expect(exchanges.map((x) => `${x.method} ${x.url.split('?')[0]} ${x.status}`)).toEqual(
      expect.arrayContaining([
        'GET /ATServicesRest/V1.0/ZoneInformation 200',
        'GET /ATServicesRest/V1.0/ZoneInformation 500',
        'POST /ATServicesRest/V1.0/Resources/query/next 200',
        'PATCH /ATServicesRest/V1.0/Resources 500',
        'GET /ATServicesRest/V1.0/ThresholdInformation 500',
        'POST /ATServicesRest/V1.0/Tickets/query 200',
      ]),
    );
    expect(exchanges.filter((x) => x.url.includes('/Resources/query/next'))).toHaveLength(2);
    expect(checker.check(exchanges)).toEqual([]);
    expect(checker.uncovered(exchanges)).toEqual([]);
  });

  it('names a departure on either side', () => {
    const first = (path: string) => exchanges.find((x) => x.url.split('?')[0]!.endsWith(path))!;
    const query = first('/Resources/query');
    const read = exchanges.find((x) => /\/Resources\/\d+$/.test(x.url) && x.status === 200)!;
    const fields = first('/entityInformation/fields');
    const pascal = JSON.stringify({ MaxRecords: 500, Filter: JSON.parse(query.requestBody).filter });
    const { apiintegrationcode: _, ...noCode } = query.requestHeaders;
    const udf = JSON.stringify({ item: { ...JSON.parse(read.responseBody).item, userDefinedFields: [] } });
    const numbers = fields.responseBody.replace(/"value":"(\d+)"/, '"value":$1');
    expect(
      checker.check([
        { ...query, requestBody: pascal },
        { ...query, requestHeaders: noCode },
        { ...read, responseBody: udf },
        { ...fields, responseBody: numbers },
        { ...query, url: query.url.replace('/Resources/query', '/Resources') },
        { ...query, status: 400, responseBody: '{"errors":["x"]}' },
      ]),
    ).toEqual([
      "POST /ATServicesRest/V1.0/Resources/query [Resources.query]: request body: (body) must have required property 'filter'; (body) must NOT have additional properties (MaxRecords); (body) must NOT have additional properties (Filter)",
      'POST /ATServicesRest/V1.0/Resources/query [Resources.query]: request lacks the ApiIntegrationCode header',
      `GET ${read.url} [Resources.get]: response 200: /item must NOT have additional properties (userDefinedFields); /item must be null; /item must match a schema in anyOf`,
      expect.stringMatching(
        /^GET \/ATServicesRest\/V1\.0\/Resources\/entityInformation\/fields \[Resources\.fields\]: response 200: \/fields\/\d+\/picklistValues\/0\/value must be string$/,
      ),
      'POST /ATServicesRest/V1.0/Resources: no operation of the contract (Datto|Autotask PSA Rest API v1 (ATServicesRest V1.0), Resources, Tickets, ZoneInformation, ThresholdInformation) has this method and path',
      'POST /ATServicesRest/V1.0/Resources/query [Resources.query]: status 400 is not an answer the vendor documents for this operation',
    ]);
  });
});
