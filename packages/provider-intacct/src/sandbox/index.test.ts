import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Logger, type RemoteObject, Secret } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { type KindSession, kindSession } from '../kinds/session.testing.js';
import { connectIntacct } from '../provider.js';
import { RawApi } from './api.testing.js';
import sandbox from './index.js';

const quiet: Logger = { info() {}, warn() {}, debug() {} };
const secret = (v: string) => new Secret(v, `env:${v}`);
const config = { type: 'intacct', endpoint: 'sandbox', companyId: 'demo-co' };
const byKey = (objects: RemoteObject[], key: string) => objects.find((o) => o.naturalKey === key);

/** What core does for `endpoint: sandbox`: start the sandbox, then connect to the address it gives. */
async function startAndConnect(
  req: { dir?: string; credentials?: Record<string, Secret>; readCredentials?: boolean } = {},
): Promise<{ conn: KindSession; close(): Promise<void> }> {
  const credentials = req.credentials ?? {};
  const started = await sandbox.start({
    name: 'books',
    config,
    credentials,
    ...(req.dir ? { dir: req.dir } : {}),
    ...(req.readCredentials ? { readCredentials: true } : {}),
    log: quiet,
  });
  const conn = kindSession(
    await connectIntacct(
      {
        name: 'books',
        config: started.config,
        credentials,
        readOnly: Boolean(req.readCredentials),
        log: quiet,
      },
      { sleep: async () => {}, pageSize: 3 },
    ),
  );
  return {
    conn,
    close: async () => {
      await conn.close();
      await started.close();
    },
  };
}

describe('start', () => {
  it('runs the sandbox in process, persisted in the sandbox directory', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'intacct-sandbox-'));
    const first = await startAndConnect({ dir });
    await first.conn.create({
      kind: 'SecurityLevel',
      address: 'x',
      attributes: { name: 'Kept' },
      idempotencyKey: 'k',
    });
    await first.close();
    const second = await startAndConnect({ dir });
    try {
      expect(byKey((await second.conn.list({ kind: 'SecurityLevel' })).objects, 'Kept')).toBeTruthy();
      expect(second.conn.stats().apiCalls).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });

  it('gives the simulator its address as the endpoint, and its console token', async () => {
    const started = await sandbox.start({ name: 'books', config, credentials: {}, log: quiet });
    try {
      expect(started.config).toEqual({
        ...config,
        endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      });
      expect(started.consoleToken).toMatch(/.{16,}/);
    } finally {
      await started.close();
    }
  });

  it('signed in with the read set, reads, and refuses writes as Intacct would', async () => {
    const readSet = { clientId: secret('cid-ro'), clientSecret: secret('cs-ro'), userId: secret('WS_RO') };
    const c = await startAndConnect({ credentials: readSet, readCredentials: true });
    try {
      expect((await c.conn.list({ kind: 'SecurityLevel' })).objects.length).toBeGreaterThan(0);
      await expect(
        c.conn.create({
          kind: 'SecurityLevel',
          address: 'x',
          attributes: { name: 'No' },
          idempotencyKey: 'k',
        }),
      ).rejects.toThrow(/403|read-only/);
    } finally {
      await c.close();
    }
  });
});

describe('console', () => {
  it("resets a web services user's password as a person would in the UI, the new one a secret", async () => {
    const started = await sandbox.start({ name: 'books', config, credentials: {}, log: quiet });
    const conn = kindSession(
      await connectIntacct({
        name: 'books',
        config: started.config,
        credentials: {},
        readOnly: false,
        log: quiet,
      }),
    );
    try {
      const email = 'ws_reset@example.com';
      const user = (
        await conn.create({
          kind: 'ServiceAccount',
          address: 'books/ServiceAccount/reset',
          attributes: { id: 'WS_RESET', email, contact: { firstName: 'Web', lastName: 'Reset', email } },
          idempotencyKey: 'reset',
        })
      ).object;
      const operate = (token: string | undefined) =>
        sandbox
          .console({ name: 'books', config: started.config, ...(token ? { token } : {}), log: quiet })
          .operate({
            kind: 'ServiceAccount',
            operation: 'rotate',
            address: 'books/ServiceAccount/reset',
            name: 'reset',
            naturalKey: 'WS_RESET',
            attributes: user.attributes,
            id: user.id,
          });
      const done = await operate(started.consoleToken);
      expect(done.secrets?.password?.reveal()).toMatch(/.{16,}/);
      expect(done.secrets?.password?.origin).toBe('intacct sandbox: password of books/ServiceAccount/reset');
      // The console is the sandbox operator's alone: without its token, nothing is reset.
      await expect(operate(undefined)).rejects.toThrow(/refused to reset the password of WS_RESET/);
    } finally {
      await conn.close();
      await started.close();
    }
  });
});

describe('serve', () => {
  it('serves the sandbox with the declared credentials', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'intacct-serve-'));
    const served = await sandbox.serve({
      name: 'books',
      config,
      credentials: { clientId: secret('cid'), clientSecret: secret('cs'), userId: secret('WS_ROSTER') },
      sandboxDir: dir,
      host: '127.0.0.1',
      port: 0,
      faults: { latencyMs: 0 },
    });
    try {
      const rosterApi = new RawApi(served.url, 'WS_ROSTER@demo-co', { id: 'cid', secret: 'cs' });
      expect((await rosterApi.signIn()).status).toBe(200);
      expect(
        (await new RawApi(served.url, 'WS_ROSTER@demo-co', { id: 'cid', secret: 'bad' }).signIn()).status,
      ).toBe(401);
      // The credential's user ID is a credential too: audit and idempotency records use a pseudonym.
      const created = await rosterApi.ok(
        'POST',
        '/objects/company-config/role',
        { id: 'R' },
        { 'idempotency-key': 'k1' },
      );
      const role = await rosterApi.ok('GET', `/objects/company-config/role/${created.key}`);
      expect(role.audit.createdByUser.id).toMatch(/^api-client-[0-9a-f]{10}$/);
      for (const f of readdirSync(dir)) {
        expect(readFileSync(path.join(dir, f), 'utf8').toLowerCase()).not.toContain('ws_roster');
      }
    } finally {
      await served.close();
    }
  });

  it('accepts both sets: the read one read-only, the write one read-write', async () => {
    const served = await sandbox.serve({
      name: 'books',
      config,
      credentials: { clientId: secret('cid'), clientSecret: secret('cs'), userId: secret('WS_ROSTER') },
      readCredentials: { clientId: secret('cid-ro'), clientSecret: secret('cs-ro'), userId: secret('WS_RO') },
      sandboxDir: mkdtempSync(path.join(tmpdir(), 'intacct-serve-ro-')),
      host: '127.0.0.1',
      port: 0,
    });
    try {
      const ro = new RawApi(served.url, 'WS_RO@demo-co', { id: 'cid-ro', secret: 'cs-ro' });
      expect((await ro.query({ object: 'company-config/role', fields: ['id'] })).status).toBe(200);
      expect((await ro.call('POST', '/objects/company-config/role', { id: 'R' })).status).toBe(403);
      const rw = new RawApi(served.url, 'WS_ROSTER@demo-co', { id: 'cid', secret: 'cs' });
      expect((await rw.call('POST', '/objects/company-config/role', { id: 'R' })).status).toBe(201);
    } finally {
      await served.close();
    }
  });
});
