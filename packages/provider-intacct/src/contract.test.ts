import { Secret, silentLogger } from '@roster/core';
import { type ContractSandbox, providerContract, seededRandom } from '@roster/core/testing';
import provider, { connectIntacct } from './provider.js';
import { RawApi } from './sandbox/api.testing.js';
import sandboxEntry from './sandbox/index.js';

const WRITE = {
  clientId: 'contract-cid',
  clientSecret: 'contract-client-secret',
  userId: 'WS_CONTRACT_ROSTER',
};
const READ = { clientId: 'contract-cid-ro', clientSecret: 'contract-ro-secret', userId: 'WS_CONTRACT_RO' };
const secrets = (c: typeof WRITE) =>
  Object.fromEntries(Object.entries(c).map(([k, v]) => [k, new Secret(v, `env:${k}`)]));

interface IntacctSandbox extends ContractSandbox {
  /** The company's REST API signed in as roster's own user: a change made by another tool. */
  api: RawApi;
}

/**
 * The sandbox as `endpoint: sandbox` starts it (the package's `./sandbox` entry), with its console
 * for the password reset; faults are seeded so that every run meets the same ones.
 */
async function sandbox(): Promise<IntacctSandbox> {
  const name = 'books';
  const started = await sandboxEntry.start({
    name,
    config: { type: 'intacct', companyId: 'demo-co', endpoint: 'sandbox' },
    credentials: secrets(WRITE),
    log: silentLogger,
    random: seededRandom(7),
    faults: { retryAfterSeconds: 0 },
  });
  const url = String(started.config.endpoint);
  // Signed in with the read set, core starts the sandbox with it, as the read-only account it is.
  const readOnly: Array<() => Promise<void>> = [];
  const configFor = async (readCredentials: boolean | undefined) => {
    if (!readCredentials) return started.config;
    const ro = await sandboxEntry.start({
      name,
      config: { type: 'intacct', companyId: 'demo-co', endpoint: 'sandbox' },
      credentials: secrets(READ),
      readCredentials: true,
      log: silentLogger,
    });
    readOnly.push(() => ro.close());
    return ro.config;
  };
  return {
    api: new RawApi(url, `${WRITE.userId}@demo-co`, { id: WRITE.clientId, secret: WRITE.clientSecret }),
    connect: async ({ log, readCredentials }) =>
      connectIntacct(
        {
          name,
          config: await configFor(readCredentials),
          credentials: secrets(readCredentials ? READ : WRITE),
          readOnly: readCredentials === true,
          log,
        },
        { sleep: async () => {}, pageSize: 3, maxAttempts: 30 },
      ),
    secrets: [started.consoleToken],
    sandboxConsole: sandboxEntry.console({
      name,
      config: started.config,
      token: started.consoleToken,
      log: silentLogger,
    }),
    faults: {
      set: (f) => void started.faults.set(f),
      injected: () => started.faults.injected(),
    },
    close: async () => {
      for (const close of readOnly) await close();
      await started.close();
    },
  };
}

const contact = (id: string, email: string) => ({ firstName: 'Web', lastName: id, email });

providerContract<IntacctSandbox>({
  provider,
  sandbox,
  secrets: [...Object.values(WRITE), ...Object.values(READ)],
  readOnlyCredentials: true,
  kinds: {
    SecurityLevel: {
      create: { name: 'Contract Role', permissions: { 'generalLedger/accounts': ['list', 'view'] } },
      update: { description: 'Journal sync', permissions: { 'accountsPayable/bills': ['list', 'edit'] } },
      drift: {
        attribute: 'description',
        change: ({ sandbox }, o) =>
          sandbox.api.ok('PATCH', `/objects/company-config/role/${o.id}`, { description: 'by hand' }),
      },
    },
    Group: {
      create: { name: 'Contract Group', description: 'Integrations', roles: [] },
      update: { description: 'All web services users' },
      drift: {
        attribute: 'description',
        change: ({ sandbox }, o) =>
          sandbox.api.ok('PATCH', `/objects/company-config/user-group/${o.id}`, { description: 'by hand' }),
      },
    },
    ServiceAccount: {
      create: {
        id: 'WS_CONTRACT',
        userName: 'Contract integration',
        email: 'ws_contract@example.com',
        contact: contact('WS_CONTRACT', 'ws_contract@example.com'),
        userType: 'business',
        adminPrivileges: 'off',
        status: 'active',
      },
      update: { userName: 'Contract sync' },
      drift: {
        attribute: 'userName',
        change: ({ sandbox }, o) =>
          sandbox.api.ok('PATCH', `/objects/company-config/user/${o.id}`, { userName: 'by hand' }),
      },
    },
  },
});
