import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ContractSandbox, providerContract } from '@roster/core/testing';
import { CONSOLE_TOKEN_ENV, consoleHeaders } from '@roster/sim-kit';
import { vi } from 'vitest';
import provider from './provider.js';
import { startConsole } from './sandbox/console-server.js';
import { SandboxStore } from './sandbox/store.js';

interface GetintSandbox extends ContractSandbox {
  /** A change a person makes in Workflows › Connections. */
  byHand(id: string, body: Record<string, unknown>): Promise<void>;
}

// No `faults`: Getint has no management API (api-notes/afas-scim-getint.md, Getint), so nothing
// roster calls can fail with a 5xx or 429; its sandbox console has no fault switch.
async function sandbox(): Promise<GetintSandbox> {
  const dir = await mkdtemp(path.join(tmpdir(), 'getint-contract-'));
  const server = await startConsole(new SandboxStore(dir));
  // A served sandbox on loopback, as `roster sandbox serve` runs it: its token from the environment.
  vi.stubEnv(CONSOLE_TOKEN_ENV, server.consoleToken);
  return {
    secrets: [server.consoleToken!],
    connect: ({ log }) =>
      provider.connect({
        name: 'getint',
        config: { type: 'getint', endpoint: server.url },
        credentials: {},
        readOnly: false,
        log,
      }),
    byHand: async (id, body) => {
      const res = await fetch(`${server.url}/__sandbox/connections/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        headers: consoleHeaders(server.consoleToken),
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`PATCH connection ${id}: ${res.status}`);
    },
    close: async () => {
      vi.unstubAllEnvs();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

providerContract<GetintSandbox>({
  provider,
  sandbox,
  // Getint holds no credentials of roster's: the console's token is the secret.
  secrets: [],
  kinds: {
    Connector: {
      create: {
        name: 'Contract Jira',
        app: 'jira',
        url: 'https://contract.atlassian.net',
        sharing: 'view',
        account: { external: { system: 'jira', user: 'sync@contract.example' } },
      },
      update: { sharing: 'use' },
      drift: {
        attribute: 'url',
        change: ({ sandbox }, o) => sandbox.byHand(o.id, { url: 'https://other.example' }),
      },
    },
  },
});
