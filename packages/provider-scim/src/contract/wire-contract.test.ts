import { Secret, silentLogger } from '@roster/core';
import { contractChecker, type RecordingProxy, recordSimulator, type WireExchange } from '@roster/sim-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectScim } from '../connect.js';
import type { ScimConnection } from '../connection.js';
import * as groups from '../kinds/group/api.js';
import * as accounts from '../kinds/service-account/api.js';
import { type Simulator, startSimulator } from '../sandbox/server.js';

// roster's SCIM client and its simulator, held to RFC 7644: the real client drives the real
// simulator through a recording proxy, and every exchange is checked against the shapes transcribed
// from the RFC (scim.wire-contract.json; its `source` says what is inferred). A field, status or
// path the RFC does not describe fails here, whichever side departs.

const checker = contractChecker(new URL('./scim.wire-contract.json', import.meta.url));
const TOKEN = 'wire-scim-token';
const running: Array<{ close(): Promise<void> }> = [];
let exchanges: WireExchange[] = [];

/** A simulator behind a recording proxy, and a connection to it through the proxy. */
async function recorded(opts: {
  patch: boolean;
}): Promise<{ connection: ScimConnection; proxy: RecordingProxy; sim: Simulator }> {
  const sim = await startSimulator({ credentials: { token: TOKEN }, patch: opts.patch });
  const proxy = await recordSimulator(sim, new URL(sim.url).origin);
  running.push(proxy);
  const endpoint = `${proxy.url}/scim/v2`;
  const connection = await connectScim(
    {
      name: 'tools',
      config: { type: 'scim', endpoint },
      credentials: { token: new Secret(TOKEN, 'wire') },
      readOnly: false,
      log: silentLogger,
    },
    endpoint,
    { pageSize: 2, http: { sleep: async () => {}, maxAttempts: 1 } },
  );
  return { connection, proxy, sim };
}

beforeAll(async () => {
  const { connection, proxy } = await recorded({ patch: true });
  const ops = await groups.createGroup({ connection, attributes: { displayName: 'Ops' } });
  const attributes = {
    userName: 'svc-wire',
    displayName: 'Wire',
    active: true,
    groups: [{ ref: 'Ops', id: ops.object.id }],
  };
  const made = await accounts.createServiceAccount({ connection, attributes });
  // 409 uniqueness, then the filtered lookup that adopts the existing user.
  await accounts.createServiceAccount({ connection, attributes: { ...attributes, userName: 'SVC-WIRE' } });
  for (let i = 0; i < 3; i++)
    await accounts.createServiceAccount({ connection, attributes: { userName: `svc-page-${i}` } });
  const listed = await accounts.listServiceAccounts({ connection });
  expect(listed.objects).toHaveLength(4);
  expect((await accounts.readServiceAccount({ connection, id: 'no-such-id' })).object).toBeUndefined();
  const updated = await accounts.updateServiceAccount({
    connection,
    id: made.object.id,
    prior: made.object,
    changes: { displayName: 'Wire 2', groups: [] },
  });
  // A stale version: If-Match answered 412.
  await connection.client
    .patch(
      connection.path('User', made.object.id),
      [{ op: 'replace', path: 'displayName', value: 'x' }],
      'stale',
      'W/"1"',
    )
    .catch(() => undefined);
  await groups.updateGroup({
    connection,
    id: ops.object.id,
    changes: { displayName: 'Ops 2' },
  });
  await accounts.updateServiceAccount({
    connection,
    id: made.object.id,
    prior: updated.object,
    changes: { active: false },
  });
  await groups.deleteGroup({ connection, id: ops.object.id });
  await accounts.deleteServiceAccount({ connection, id: made.object.id });
  const put = await recorded({ patch: false });
  const g = await groups.createGroup({ connection: put.connection, attributes: { displayName: 'Put' } });
  const u = await accounts.createServiceAccount({
    connection: put.connection,
    attributes: { userName: 'svc-put', groups: [{ ref: 'Put', id: g.object.id }] },
  });
  await accounts.updateServiceAccount({
    connection: put.connection,
    id: u.object.id,
    prior: u.object,
    changes: { displayName: 'by PUT' },
  });
  exchanges = [...proxy.exchanges, ...put.proxy.exchanges];
});

afterAll(async () => {
  for (const r of running.reverse()) await r.close();
});

describe('the SCIM wire contract (RFC 7644)', () => {
  it('is what the client sends and the simulator answers, for every operation roster uses', () => {
    expect(
      exchanges.map(
        (x) => `${x.method} ${x.url.split('?')[0]!.replace(/[0-9a-f-]{36}/, '{id}')} ${x.status}`,
      ),
    ).toEqual(
      expect.arrayContaining([
        'POST /scim/v2/Users 409',
        'PATCH /scim/v2/Users/{id} 412',
        'GET /scim/v2/Users/no-such-id 404',
        'PUT /scim/v2/Users/{id} 200',
        'PUT /scim/v2/Groups/{id} 200',
      ]),
    );
    expect(checker.check(exchanges)).toEqual([]);
    expect(checker.uncovered(exchanges)).toEqual([]);
  });

  it('names a departure on either side', () => {
    const error = exchanges.find((x) => x.status === 409)!;
    const numeric = { ...error, responseBody: error.responseBody.replace('"status":"409"', '"status":409') };
    const create = exchanges.find((x) => x.method === 'POST' && x.status === 201)!;
    const withId = {
      ...create,
      requestBody: JSON.stringify({ ...JSON.parse(create.requestBody), id: 'mine' }),
    };
    expect(checker.check([numeric, withId]).join('\n')).toMatch(/status[\s\S]*id|id[\s\S]*status/);
  });
});
