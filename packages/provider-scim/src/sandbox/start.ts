import type { Secret } from '@roster/core';
import type { SimulatorFaults } from '@roster/sim-kit';
import { SANDBOX_PLACEHOLDER_TOKEN } from '../config.js';
import { declaredAuth } from '../connect.js';
import { type Simulator, startSimulator } from './server.js';

/**
 * Start the simulator for a provider instance: it accepts the credentials the Provider document
 * declares, or the placeholder token a sandbox connection sends when it declares none.
 */
export function startSandbox(opts: {
  name: string;
  credentials: Record<string, Secret | undefined>;
  dir: string | undefined;
  host?: string;
  port?: number;
  allowRemote?: boolean;
  faults?: SimulatorFaults;
}): Promise<Simulator> {
  const auth = declaredAuth(opts.name, opts.credentials);
  const credentials =
    auth === undefined
      ? { token: SANDBOX_PLACEHOLDER_TOKEN }
      : 'token' in auth
        ? { token: auth.token.reveal() }
        : { username: auth.username.reveal(), password: auth.password.reveal() };
  return startSimulator({
    credentials,
    ...(opts.dir !== undefined ? { dir: opts.dir } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.allowRemote !== undefined ? { allowRemote: opts.allowRemote } : {}),
    ...(opts.faults !== undefined ? { faults: opts.faults } : {}),
  });
}
