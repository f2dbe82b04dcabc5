import { silentLogger as silent } from '@roster/core';
import { type ContractSandbox, providerContract } from '@roster/core/testing';
import { consoleHeaders } from '@roster/sim-kit';
import provider from './provider.js';
import sandboxEntry from './sandbox/index.js';

interface GetintSandbox extends ContractSandbox {
  /** A change a person makes in Workflows › Connections. */
  byHand(id: string, body: Record<string, unknown>): Promise<void>;
}

// No `faults`: Getint has no management API (api-notes/afas-scim-getint.md, Getint), so nothing
// roster calls can fail with a 5xx or 429; its sandbox console has no fault switch.
async function sandbox(): Promise<GetintSandbox> {
  const name = 'getint';
  const started = await sandboxEntry.start({
    name,
    config: { type: 'getint', endpoint: 'sandbox' },
    credentials: {},
    log: silent,
  });
  const url = String(started.config.endpoint);
  return {
    secrets: [started.consoleToken!],
    connect: ({ log }) =>
      provider.connect({ name, config: started.config, credentials: {}, readOnly: false, log }),
    sandboxConsole: sandboxEntry.console({
      name,
      config: started.config,
      token: started.consoleToken!,
      log: silent,
    }),
    byHand: async (id, body) => {
      const res = await fetch(`${url}/__sandbox/connections/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        headers: consoleHeaders(started.consoleToken),
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`PATCH connection ${id}: ${res.status}`);
    },
    close: () => started.close(),
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
