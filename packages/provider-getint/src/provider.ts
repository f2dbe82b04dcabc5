import type { ConnectRequest, Provider } from '@roster/core';
import { checkConnections } from './checks.js';
import { configSchema } from './config.js';
import { GetintConnection } from './connection.js';
import { connectorKind } from './kinds/connector/index.js';

/** Getint: connections made by hand (no management API), every attribute attested. */
const provider = {
  type: 'getint',
  displayName: 'Getint',
  description:
    'Getint (integration platform): connections (Connector) and the dedicated account each signs in as. No management API: every change is a runbook step in Workflows › Connections, every attribute attested; the account itself is verified in its own system.',
  configSchema,
  kinds: { Connector: connectorKind },
  check: checkConnections,
  // Nothing to reach: a sandbox's console is the sandbox entry's (`./sandbox`), a real instance has no API.
  connect: async (_req: ConnectRequest) => new GetintConnection(),
} satisfies Provider;

export default provider;
