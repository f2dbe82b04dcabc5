import { Secret } from '@roster/core';
import { type ContractSandbox, providerContract, seededRandom } from '@roster/core/testing';
import provider, { connectAfas } from './provider.js';
import { RawApi } from './sandbox/api.testing.js';
import { afasConsole, startAfasSandbox } from './sandbox/index.js';
import { quiet } from './sandbox/sandbox.testing.js';

const TOKEN_DATA = 'C0NTRACTT0KENDATA4F1E2D';
const TOKEN = `<token><version>1</version><data>${TOKEN_DATA}</data></token>`;
const fast = { sleep: async () => {}, pageSize: 3, maxAttempts: 30 };

interface AfasSandbox extends ContractSandbox {
  /** The API as another integration with roster's token, and the console as a person in Profit. */
  api: RawApi;
}

/** The sandbox as `endpoint: sandbox` starts it (the package's `./sandbox` entry), seeded and without back-off. */
async function sandbox(): Promise<AfasSandbox> {
  const credentials = { token: new Secret(TOKEN, 'env:AFAS_TOKEN') };
  const started = await startAfasSandbox(
    { name: 'afas', config: { type: 'afas', endpoint: 'sandbox' }, credentials, log: quiet },
    { random: seededRandom(5), faults: { retryAfterSeconds: 0 } },
  );
  const { sim } = started;
  const api = new RawApi(sim.url, TOKEN, sim.consoleToken);
  const readToken = await readOnlyToken(api);
  return {
    api,
    secrets: [readToken.match(/<data>(.*)<\/data>/)![1]!, sim.consoleToken],
    connect: ({ log, readCredentials }) =>
      connectAfas(
        {
          name: 'afas',
          config: started.config,
          credentials: readCredentials
            ? { token: new Secret(readToken, 'env:AFAS_READ_TOKEN') }
            : credentials,
          readOnly: readCredentials === true,
          log,
        },
        fast,
      ),
    sandboxConsole: afasConsole(
      { name: 'afas', config: started.config, token: sim.consoleToken, log: quiet },
      fast,
    ),
    faults: {
      set: (f) => void sim.faults.set(f),
      injected: () => sim.faults.injected(),
    },
    close: () => started.close(),
  };
}

/**
 * `credentials.read` in AFAS: a user token on an app connector that has the GetConnectors roster
 * reads and no UpdateConnector, so Profit refuses every write (api-notes/afas-scim-getint.md, App
 * connector parts; a token reaches only the connectors of its app connector).
 */
async function readOnlyToken(api: RawApi): Promise<string> {
  await api.ok('POST', '/groups', { id: 'ROSTER-READ', description: 'roster, read-only' });
  await api.user('ROSTER.READ', {}, ['ROSTER-READ']);
  const app = await api.ok('POST', '/app-connectors', {
    description: 'roster (read-only)',
    group: 'ROSTER-READ',
    getConnectors: ['Profit_Users', 'Profit_UserGroups'],
    updateConnectors: [],
  });
  const issued = await api.ok('POST', `/app-connectors/${app.id}/tokens`, {
    userId: 'ROSTER.READ',
    description: 'roster',
  });
  await api.ok('PATCH', `/app-connectors/${app.id}`, { blocked: false });
  return issued.token;
}

providerContract<AfasSandbox>({
  provider,
  sandbox,
  secrets: [TOKEN_DATA],
  readOnlyCredentials: true,
  kinds: {
    ServiceAccount: {
      create: { userId: 'CONTRACT', name: 'Contract sync', email: 'contract@example.com', inSite: true },
      update: { name: 'Contract alerts' },
      drift: {
        attribute: 'name',
        change: ({ sandbox }) =>
          sandbox.api.knUser('PUT', 'CONTRACT', { Nm: 'by hand' }).then(() => undefined),
      },
    },
    Group: {
      create: { id: 'CONTRACT-GRP', description: 'Contract group' },
      update: { description: 'Contract users' },
      drift: {
        attribute: 'description',
        change: ({ sandbox }, o) =>
          sandbox.api.ok('PATCH', `/groups/${encodeURIComponent(o.id)}`, { description: 'by hand' }),
      },
    },
    Connector: {
      create: async ({ conn }) => {
        await conn.operate!({
          kind: 'Group',
          operation: 'create',
          address: 'afas/Group/contract-app',
          name: 'contract-app',
          naturalKey: 'CONTRACT-APP',
          attributes: { id: 'CONTRACT-APP', description: 'Contract app users' },
        });
        return {
          description: 'Contract sync',
          group: { ref: 'CONTRACT-APP', id: 'CONTRACT-APP' },
          getConnectors: ['Profit_Users'],
        };
      },
      update: { getConnectors: ['Profit_Users', 'Profit_UserGroups'] },
      drift: {
        attribute: 'getConnectors',
        change: ({ sandbox }, o) => sandbox.api.ok('PATCH', `/app-connectors/${o.id}`, { getConnectors: [] }),
      },
    },
  },
});
