import { Secret } from '@roster/core';
import { type ContractSandbox, providerContract, seededRandom } from '@roster/core/testing';
import provider, { connectIntacct } from './provider.js';
import { RawApi } from './simulator/api.testing.js';
import { type Simulator, startSimulator } from './simulator/server.js';

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

async function sandbox(): Promise<IntacctSandbox> {
  const sim: Simulator = await startSimulator({
    companyId: 'demo-co',
    credentials: WRITE,
    readCredentials: READ,
    random: seededRandom(7),
    faults: { retryAfterSeconds: 0 },
  });
  return {
    api: new RawApi(sim.url, `${WRITE.userId}@demo-co`, { id: WRITE.clientId, secret: WRITE.clientSecret }),
    connect: ({ log, readCredentials }) =>
      connectIntacct(
        {
          name: 'books',
          config: { type: 'intacct', companyId: 'demo-co', endpoint: sim.url },
          credentials: secrets(readCredentials ? READ : WRITE),
          readOnly: readCredentials === true,
          log,
        },
        { sleep: async () => {}, pageSize: 3, maxAttempts: 30 },
      ),
    faults: {
      set: (f) => void sim.faults.set(f),
      injected: () => sim.faults.injected(),
    },
    close: () => sim.close(),
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
