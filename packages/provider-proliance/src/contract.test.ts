import { silentLogger } from '@roster/core';
import { type ContractSandbox, providerContract, seededRandom } from '@roster/core/testing';
import { consoleHeaders } from '@roster/sim-kit';
import provider from './provider.js';
import { sandboxOperator, startRegisters } from './sandbox/index.js';

interface ProlianceSandbox extends ContractSandbox {
  /** A change a person makes in Proliance, then a new export of the registers. */
  byHand(route: string, body: Record<string, unknown>): Promise<void>;
}

/**
 * The sandbox as its entry starts it (`start`), with this suite's fault switch and random source
 * (the entry's own `start` takes its faults from the environment), and its operator retrying at
 * once.
 */
async function sandbox(): Promise<ProlianceSandbox> {
  const name = 'proliance';
  const started = await startRegisters(
    { name, config: { type: 'proliance', endpoint: 'sandbox' }, credentials: {}, log: silentLogger },
    { random: seededRandom(1), faults: { retryAfterSeconds: 0 } },
  );
  const { sim } = started;
  const call = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${sim.url}/__sandbox${route}`, {
      method,
      headers: consoleHeaders(sim.consoleToken),
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  };
  return {
    secrets: [sim.consoleToken],
    connect: ({ log }) =>
      provider.connect({ name, config: started.config, credentials: {}, readOnly: false, log }),
    sandboxConsole: sandboxOperator(name, started.config, started.consoleToken, {
      sleep: async () => {},
      attempts: 30,
    }),
    byHand: async (route, body) => {
      sim.faults.set({ errorRate: 0, throttleRate: 0, dropRate: 0 });
      await call('PATCH', route, { ...body, by: 'someone' });
      await call('POST', '/export', {});
    },
    faults: {
      set: (f) => void sim.faults.set(f),
      injected: () => sim.faults.injected(),
    },
    close: () => started.close(),
  };
}

providerContract<ProlianceSandbox>({
  provider,
  sandbox,
  // Proliance has no API and roster holds no credentials for it: the console's token is the secret.
  // No read-only check either: roster only ever reads the registers' export (README, Proliance).
  secrets: [],
  kinds: {
    SecurityLevel: {
      create: {
        name: 'Contract Sync',
        description: 'Project exchange',
        permissions: { Organization: ['Read'] },
        securityPermissions: false,
      },
      update: {
        description: 'Project and budget exchange',
        permissions: { Organization: ['Read'], Projects: ['Read'] },
      },
      drift: {
        attribute: 'description',
        change: ({ sandbox }, o) =>
          sandbox.byHand(`/security-roles/${encodeURIComponent(o.id)}`, { description: 'by hand' }),
      },
    },
    ServiceAccount: {
      create: {
        owner: { staff: 'S-1002' },
        accountName: 'contract-sync',
        securityCategory: 'Integration',
        systemIntegration: { externalSystem: 'Procore' },
      },
      update: { securityCategory: 'Integrations' },
      drift: {
        attribute: 'accountName',
        change: ({ sandbox }, o) =>
          sandbox.byHand(`/accounts/${encodeURIComponent(o.id)}`, { accountName: 'by-hand' }),
      },
    },
  },
});
