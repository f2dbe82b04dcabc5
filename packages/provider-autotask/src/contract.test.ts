import { Secret, silentLogger } from '@roster/core';
import { type ContractSandbox, providerContract, seededRandom } from '@roster/core/testing';
import type { ClientTuning } from './client/client.js';
import provider, { connectAutotask } from './provider.js';
import { RawApi } from './sandbox/api.testing.js';
import sandboxEntry from './sandbox/index.js';

const CREDENTIALS = {
  username: 'contract-roster@example.com',
  secret: 'contract-api-secret',
  integrationCode: 'CONTRACTINTEGRATIONCODE1',
};
const BASE = "API User (system) Can't Read Costs (API-only)";

interface AutotaskSandbox extends ContractSandbox {
  /** The admin console: what a person changes in the Autotask UI. */
  console: RawApi;
}

const credentials = Object.fromEntries(
  Object.entries(CREDENTIALS).map(([k, v]) => [k, new Secret(v, `env:${k}`)]),
);

/** No waiting between retries; small pages; enough attempts to get through the fault checks. */
const tuning: ClientTuning = { sleep: async () => {}, pageSize: 2, maxAttempts: 30 };

/** The sandbox as `endpoint: sandbox` starts it (the `./sandbox` entry), connected to as core does. */
async function sandbox(): Promise<AutotaskSandbox> {
  const name = 'autotask-prod';
  const started = await sandboxEntry.start({
    name,
    config: { type: 'autotask', endpoint: 'sandbox' },
    credentials,
    log: silentLogger,
    simulator: { random: seededRandom(11), faults: { retryAfterSeconds: 0 } },
  });
  const url = String(started.config.endpoint);
  const token = started.consoleToken;
  return {
    console: new RawApi(url, undefined, token),
    sandboxConsole: sandboxEntry.console({
      name,
      config: started.config,
      token,
      credentials,
      log: silentLogger,
      tuning,
    }),
    ...(token ? { secrets: [token] } : {}),
    connect: ({ log }) =>
      connectAutotask({ name, config: started.config, credentials, readOnly: false, log }, tuning),
    faults: {
      set: (f) => void started.faults.set(f),
      injected: () => started.faults.injected(),
    },
    close: () => started.close(),
  };
}

const level = (name: string) => ({
  name,
  copiedFrom: BASE,
  permissions: { 'CRM › Account & Contact Access': 'All', 'Service Desk › Tickets': ['View', 'Add'] },
  active: true,
});

providerContract<AutotaskSandbox>({
  provider,
  sandbox,
  secrets: Object.values(CREDENTIALS),
  // No read-only account: an Autotask API user's rights come from its security level, which the
  // REST API cannot read (api-notes/intacct-autotask.md, Autotask: "Security level and vendor are
  // not readable"), and the simulator models no read-only API user.
  kinds: {
    SecurityLevel: {
      create: level('Contract Alerts (API)'),
      update: {
        permissions: { 'CRM › Account & Contact Access': 'All', 'Service Desk › Tickets': ['View'] },
      },
      drift: {
        attribute: 'permissions',
        change: ({ sandbox }, o) =>
          sandbox.console.console('PATCH', `/security-levels/${encodeURIComponent(o.id)}`, {
            permissions: { 'Service Desk › Tickets': ['View', 'Add', 'Edit', 'Delete'] },
          }),
      },
    },
    ServiceAccount: {
      create: async ({ conn }) => {
        const made = await conn.operate!({
          kind: 'SecurityLevel',
          operation: 'create',
          address: 'autotask-prod/SecurityLevel/contract',
          name: 'contract',
          naturalKey: 'Contract (API)',
          attributes: level('Contract (API)'),
        });
        return {
          email: 'contract@example.com',
          firstName: 'Contract',
          lastName: 'Sync',
          securityLevel: { ref: 'Contract (API)', id: made.object!.id },
          integrationVendor: 'Office Protect - Alert Integration',
          active: true,
          locked: false,
        };
      },
      update: { lastName: 'Alerts', locked: true },
      drift: {
        attribute: 'lastName',
        change: ({ sandbox }, o) =>
          sandbox.console.console('PATCH', `/api-users/${o.id}`, { lastName: 'by hand' }),
      },
    },
  },
});
