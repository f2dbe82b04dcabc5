import { Secret, silentLogger } from '@roster/core';
import { afterEach, describe, expect, it } from 'vitest';
import { connectScim } from './connect.js';
import type { ScimConnection } from './connection.js';
import {
  createServiceAccount,
  listServiceAccounts,
  updateServiceAccount,
} from './kinds/service-account/api.js';
import { type SimulatorOptions, startSimulator } from './sandbox/server.js';

const TOKEN = 'unit-scim-token';
let close: (() => Promise<void>) | undefined;

afterEach(async () => {
  await close?.();
  close = undefined;
});

async function connected(opts: Partial<SimulatorOptions> = {}, config: Record<string, unknown> = {}) {
  const sim = await startSimulator({ credentials: { token: TOKEN }, ...opts });
  close = () => sim.close();
  const connection = await connectScim(
    {
      name: 'tools',
      config: { type: 'scim', endpoint: sim.url, ...config },
      credentials: { token: new Secret(TOKEN, 'unit') },
      readOnly: false,
      log: silentLogger,
    },
    sim.url,
  );
  const raw = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the server's JSON, read field by field by the tests
    return (await res.json()) as Record<string, any>;
  };
  return { connection, raw };
}

const make = (connection: ScimConnection, userName: string, extra: Record<string, unknown> = {}) =>
  createServiceAccount({ connection, attributes: { userName, active: true, ...extra } });

const patchOp = (ops: unknown[]) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: ops,
});

describe('the SCIM connection', () => {
  it("turns the mutability /Schemas states into the kinds' rules", async () => {
    const { connection } = await connected({ immutable: ['externalId'] });
    expect(connection.facts).toMatchObject({ patch: true, etag: true, bulk: { supported: false } });
    expect(connection.attributeRules()).toEqual({ ServiceAccount: { externalId: { immutable: true } } });
  });

  it('sends If-Match: a change of the same attribute since the read is reported, another one is retried', async () => {
    const { connection, raw } = await connected();
    const { object } = await make(connection, 'svc-etag', { displayName: 'one' });
    await raw('PATCH', `/Users/${object.id}`, patchOp([{ op: 'replace', path: 'externalId', value: 'x' }]));
    const updated = await updateServiceAccount({
      connection,
      id: object.id,
      prior: object,
      changes: { displayName: 'two' },
    });
    expect(updated.object.attributes).toMatchObject({ displayName: 'two', externalId: 'x' });
    await raw(
      'PATCH',
      `/Users/${object.id}`,
      patchOp([{ op: 'replace', path: 'displayName', value: 'by hand' }]),
    );
    await expect(
      updateServiceAccount({
        connection,
        id: object.id,
        prior: updated.object,
        changes: { displayName: 'three' },
      }),
    ).rejects.toThrow(/changed on the server since roster read it; run roster plan again .* \(HTTP 412\)/);
  });

  it('uses PUT of the whole user when the server offers no PATCH', async () => {
    const { connection, raw } = await connected({ patch: false });
    const { object } = await make(connection, 'svc-put', { displayName: 'one', externalId: 'keep' });
    await updateServiceAccount({ connection, id: object.id, prior: object, changes: { displayName: 'two' } });
    expect(await raw('GET', `/Users/${object.id}`)).toMatchObject({
      displayName: 'two',
      externalId: 'keep',
      active: true,
    });
  });

  it('adopts a service user that exists (409 uniqueness) instead of making a second one; leaves an unmarked user alone', async () => {
    const { connection, raw } = await connected(
      {},
      { serviceAccounts: { attribute: 'userType', value: 'Service' } },
    );
    await raw('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'SVC-Adopt',
      userType: 'Service',
    });
    await raw('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'person',
      userType: 'Employee',
    });
    const { object } = await make(connection, 'svc-adopt', { displayName: 'adopted' });
    expect(object.attributes).toMatchObject({ userName: 'svc-adopt', displayName: 'adopted' });
    expect((await listServiceAccounts({ connection })).objects.map((o) => o.naturalKey)).toEqual([
      'svc-adopt',
    ]);
    await expect(make(connection, 'Person')).rejects.toThrow(
      /is not marked as a service account .* \(HTTP 409\)/,
    );
  });
});
