import { isLoopback, type Provider } from '@roster/core';
import { consoleTokenFromEnv } from '@roster/sim-kit';
import { checkConnections } from './checks.js';
import { configSchema } from './config.js';
import { GetintConnection } from './connection.js';
import { connectorKind } from './kinds/connector.js';
import { startConsole } from './sandbox/console-server.js';
import { SandboxStore } from './sandbox/store.js';

/** Getint: connections made by hand (no management API), every attribute attested. */
const provider = {
  type: 'getint',
  displayName: 'Getint',
  description:
    'Getint (integration platform): connections (Connector) and the dedicated account each signs in as. No management API: every change is a runbook step in Workflows › Connections, every attribute attested; the account itself is verified in its own system.',
  configSchema,
  kinds: { Connector: connectorKind },
  check: checkConnections,
  async connect(req) {
    const endpoint = String(req.config.endpoint);
    if (endpoint === 'sandbox') {
      if (!req.sandboxDir) throw new Error('a sandbox provider needs its sandbox directory');
      const server = await startConsole(new SandboxStore(req.sandboxDir));
      return new GetintConnection(server.url, () => server.close(), server.consoleToken);
    }
    // A served sandbox on loopback has the same console; a real instance has none.
    return isLoopback(endpoint)
      ? new GetintConnection(endpoint, undefined, consoleTokenFromEnv())
      : new GetintConnection(undefined);
  },
  async serveSandbox(req) {
    return startConsole(new SandboxStore(req.sandboxDir), {
      host: req.host,
      port: req.port,
      ...(req.allowRemote !== undefined ? { allowRemote: req.allowRemote } : {}),
    });
  },
} satisfies Provider;

export default provider;
