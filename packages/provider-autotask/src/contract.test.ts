import { Secret } from '@roster/core';
import { type ContractSandbox, providerContract, seededRandom } from '@roster/core/testing';
import { CONSOLE_TOKEN_ENV } from '@roster/sim-kit';
import { vi } from 'vitest';
import provider, { connectAutotask } from './provider.js';
import { RawApi } from './simulator/api.testing.js';
import { type Simulator, startSimulator } from './simulator/server.js';

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

async function sandbox(): Promise<AutotaskSandbox> {
  const sim: Simulator = await startSimulator({
    credentials: CREDENTIALS,
    random: seededRandom(11),
    faults: { retryAfterSeconds: 0 },
  });
  // A connection to a served sandbox finds the console's secret where `roster sandbox serve` says.
  vi.stubEnv(CONSOLE_TOKEN_ENV, sim.consoleToken);
  return {
    console: new RawApi(sim.url, undefined, sim.consoleToken),
    connect: ({ log }) =>
      connectAutotask(
        {
          name: 'autotask-prod',
          config: { type: 'autotask', endpoint: sim.url },
          credentials: Object.fromEntries(
            Object.entries(CREDENTIALS).map(([k, v]) => [k, new Secret(v, `env:${k}`)]),
          ),
          readOnly: false,
          log,
        },
        { sleep: async () => {}, pageSize: 2, maxAttempts: 30 },
      ),
    faults: {
      set: (f) => void sim.faults.set(f),
      injected: () => sim.faults.injected(),
    },
    close: async () => {
      vi.unstubAllEnvs();
      await sim.close();
    },
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
