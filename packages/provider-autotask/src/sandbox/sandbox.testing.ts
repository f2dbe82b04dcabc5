import type { Logger, SandboxConsole, Secret } from '@roster/core';
import type { ClientTuning } from '../client/client.js';
import type { AutotaskConnection } from '../connection.js';
import { connectAutotask } from '../provider.js';
import sandbox from './index.js';

/** A sandbox started through the `./sandbox` entry, a connection to it, and its console. */
export interface ConnectedSandbox {
  conn: AutotaskConnection;
  /** The console: manual steps done as a person would in the UI. */
  operator: SandboxConsole;
  /** The simulator's address (`StartedSandbox.config.endpoint`). */
  url: string;
  consoleToken: string | undefined;
  /** Closes the connection, then the simulator. */
  close(): Promise<void>;
}

/**
 * What core does for `endpoint: sandbox` (`Connections.open`): start the simulator, connect to the
 * address it gives, open its console. For this package's tests, with the client's `tuning`.
 */
export async function connectSandbox(
  req: {
    log: Logger;
    credentials?: Record<string, Secret | undefined>;
    dir?: string;
    readCredentials?: boolean;
  },
  tuning: ClientTuning = {},
): Promise<ConnectedSandbox> {
  const name = 'autotask-prod';
  const credentials = req.credentials ?? {};
  const started = await sandbox.start({
    name,
    config: { type: 'autotask', endpoint: 'sandbox' },
    credentials,
    ...(req.dir ? { dir: req.dir } : {}),
    ...(req.readCredentials ? { readCredentials: true } : {}),
    log: req.log,
  });
  const conn = await connectAutotask(
    { name, config: started.config, credentials, readOnly: false, log: req.log },
    tuning,
  );
  const token = started.consoleToken;
  return {
    conn,
    operator: sandbox.console({
      name,
      config: started.config,
      ...(token ? { token } : {}),
      credentials,
      log: req.log,
      tuning,
    }),
    url: String(started.config.endpoint),
    consoleToken: token,
    close: async () => {
      await conn.close();
      await started.close();
    },
  };
}
