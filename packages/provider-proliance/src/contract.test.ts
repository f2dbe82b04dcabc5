import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ContractSandbox, providerContract, seededRandom } from '@roster/core/testing';
import { consoleHeaders } from '@roster/sim-kit';
import { ProlianceConnection } from './connection.js';
import { filesIn } from './export/read-export.js';
import { ExportSource } from './export/source.js';
import { SandboxConsole, SandboxOperator } from './operator.js';
import provider from './provider.js';
import { startSandbox } from './simulator/server.js';
import { RegisterStore } from './simulator/store.js';

interface ProlianceSandbox extends ContractSandbox {
  /** A change a person makes in Proliance, then a new export of the registers. */
  byHand(route: string, body: Record<string, unknown>): Promise<void>;
}

/**
 * `connectProliance` with `endpoint: sandbox`, its parts put together here so that the console runs
 * with this suite's fault switch (the embedded one takes its faults from the environment).
 */
async function sandbox(): Promise<ProlianceSandbox> {
  const dir = await mkdtemp(path.join(tmpdir(), 'proliance-contract-'));
  const store = await RegisterStore.open({ dir });
  await store.writeExport();
  const console = await startSandbox({
    dir,
    store,
    random: seededRandom(1),
    faults: { retryAfterSeconds: 0 },
  });
  const call = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${console.url}/__sandbox${route}`, {
      method,
      headers: consoleHeaders(console.consoleToken),
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  };
  return {
    secrets: [console.consoleToken],
    connect: async () => {
      const source = new ExportSource(filesIn(store.exportDir), { lock: () => store.lock() });
      const operator = new SandboxOperator(
        async () =>
          new SandboxConsole(console.url, {
            consoleToken: console.consoleToken,
            sleep: async () => {},
            attempts: 30,
          }),
        source,
      );
      return new ProlianceConnection(source, { operator });
    },
    byHand: async (route, body) => {
      console.faults.set({ errorRate: 0, throttleRate: 0, dropRate: 0 });
      await call('PATCH', route, { ...body, by: 'someone' });
      await call('POST', '/export', {});
    },
    faults: {
      set: (f) => void console.faults.set(f),
      injected: () => console.faults.injected(),
    },
    close: async () => {
      await console.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
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
