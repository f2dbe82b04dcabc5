import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Secret } from '@roster/core';
import { type ContractSandbox, providerContract, seededRandom } from '@roster/core/testing';
import { connectScim } from './connect.js';
import provider from './provider.js';
import { startSimulator } from './sandbox/server.js';

const TOKEN = 'contract-scim-token';

interface ScimSandbox extends ContractSandbox {
  /** A change made with the SCIM API itself, as another tool or an administrator would. */
  patch(type: 'Users' | 'Groups', id: string, ops: unknown[]): Promise<void>;
  createGroup(displayName: string): Promise<string>;
}

async function sandbox(): Promise<ScimSandbox> {
  const dir = await mkdtemp(path.join(tmpdir(), 'scim-contract-'));
  const sim = await startSimulator({
    dir,
    credentials: { token: TOKEN },
    random: seededRandom(7),
    faults: { retryAfterSeconds: 0 },
  });
  // Another tool's call, which goes through the same faults as roster's and tries again until the
  // sandbox answers (a repeated POST may leave a second group behind, which no check looks at).
  const call = async (method: string, p: string, body: unknown) => {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${sim.url}${p}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify(body),
      }).catch(() => undefined);
      if (res?.ok) return (await res.json()) as { id: string };
      if (attempt >= 50) throw new Error(`${method} ${p}: ${res?.status ?? 'no answer'}`);
    }
  };
  return {
    // Page size 2: every list is paged; no waits and more attempts, so the fault checks stay quick.
    connect: ({ log }) =>
      connectScim(
        {
          name: 'tools',
          config: { type: 'scim', endpoint: sim.url },
          credentials: { token: new Secret(TOKEN, 'contract') },
          readOnly: false,
          log,
        },
        sim.url,
        { pageSize: 2, http: { sleep: async () => {}, maxAttempts: 30 } },
      ),
    faults: {
      set: (f) => void sim.faults.set(f),
      injected: () => sim.faults.injected(),
    },
    patch: async (type, id, ops) => {
      await call('PATCH', `/${type}/${id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: ops,
      });
    },
    createGroup: async (displayName) =>
      (
        await call('POST', '/Groups', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
          displayName,
        })
      ).id,
    close: async () => {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

providerContract<ScimSandbox>({
  provider,
  sandbox,
  secrets: [TOKEN],
  // No read-only account: SCIM 2.0 defines none (RFC 7644 §2 leaves authorisation to the service).
  kinds: {
    ServiceAccount: {
      create: async ({ sandbox }) => ({
        userName: 'svc-contract',
        displayName: 'Contract bot',
        emails: [{ value: 'svc-contract@example.com', primary: true }],
        active: true,
        externalId: 'c-1',
        groups: [{ ref: 'Contract', id: await sandbox.createGroup('Contract') }],
      }),
      update: { displayName: 'Contract bot 2', groups: [] },
      drift: {
        attribute: 'displayName',
        change: ({ sandbox }, o) =>
          sandbox.patch('Users', o.id, [{ op: 'replace', path: 'displayName', value: 'by hand' }]),
      },
    },
    Group: {
      create: { displayName: 'Contract integrations' },
      update: { displayName: 'Contract integrations 2' },
      drift: {
        attribute: 'displayName',
        change: ({ sandbox }, o) =>
          sandbox.patch('Groups', o.id, [{ op: 'replace', path: 'displayName', value: 'renamed' }]),
      },
    },
  },
});
