import { describe, expect, it } from 'vitest';
import { RawApi } from './api.testing.js';
import { startSimulator } from './server.js';

const WRITE = { clientId: 'cid', clientSecret: 'csecret', userId: 'WS_ROSTER' };
const READ = { clientId: 'cid-ro', clientSecret: 'csecret-ro', userId: 'WS_ROSTER_RO' };
const USER = '/objects/company-config/user';
const newUser = {
  id: 'WS_NEW',
  accountEmail: 'new@example.com',
  contact: { id: 'WS_NEW', printAs: 'New', firstName: 'N', lastName: 'W', email1: 'new@example.com' },
  webServices: { isRestricted: true },
};

describe('the read-only account (credentials.read) of a sandbox', () => {
  it('reads like any sign-in and is refused every write with 403, the write account not', async () => {
    const sim = await startSimulator({ companyId: 'acme', credentials: WRITE, readCredentials: READ });
    try {
      const ro = new RawApi(sim.url, 'WS_ROSTER_RO@acme', { id: READ.clientId, secret: READ.clientSecret });
      const q = await ro.query({ object: 'company-config/user', fields: ['id'] });
      expect(q.status).toBe(200);
      const refused = await ro.call('POST', USER, newUser);
      expect(refused.status).toBe(403);
      expect(refused.json['ia::error']).toMatchObject({ code: 'permissionDenied' });
      // The message names no user: roster's user ID is a credential value.
      expect(JSON.stringify(refused.json)).not.toContain('WS_ROSTER_RO');
      const adminKey = await ro.userKey('Admin');
      expect((await ro.call('PATCH', `${USER}/${adminKey}`, { userName: 'x' })).status).toBe(403);
      expect((await ro.call('DELETE', `${USER}/${adminKey}`)).status).toBe(403);

      const rw = new RawApi(sim.url, 'WS_ROSTER@acme', { id: WRITE.clientId, secret: WRITE.clientSecret });
      expect((await rw.call('POST', USER, newUser)).status).toBe(201);
    } finally {
      await sim.close();
    }
  });

  it('stays read-only when it shares the client with the write account, and after a refresh', async () => {
    const shared = { ...READ, clientId: WRITE.clientId, clientSecret: WRITE.clientSecret };
    const sim = await startSimulator({ companyId: 'acme', credentials: WRITE, readCredentials: shared });
    try {
      const ro = new RawApi(sim.url, 'WS_ROSTER_RO@acme', { id: WRITE.clientId, secret: WRITE.clientSecret });
      const signIn = await ro.signIn();
      expect(signIn.status).toBe(200);
      const res = await fetch(`${sim.url}/ia/api/v1/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: String(signIn.json.refresh_token),
          client_id: WRITE.clientId,
          client_secret: WRITE.clientSecret,
        }),
      });
      const refreshed = (await res.json()) as { access_token: string };
      const post = await fetch(`${sim.url}/ia/api/v1${USER}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${refreshed.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify(newUser),
      });
      expect(post.status).toBe(403);
    } finally {
      await sim.close();
    }
  });

  it('alone (no write account declared), accepts only the read client, read-only', async () => {
    const sim = await startSimulator({ companyId: 'acme', readCredentials: READ });
    try {
      const other = await new RawApi(sim.url, 'Admin@acme', { id: 'x', secret: 'y' }).signIn();
      expect(other.status).toBe(401);
      const ro = new RawApi(sim.url, 'WS_ROSTER_RO@acme', { id: READ.clientId, secret: READ.clientSecret });
      expect((await ro.call('POST', USER, newUser)).status).toBe(403);
    } finally {
      await sim.close();
    }
  });
});
