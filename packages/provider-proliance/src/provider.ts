import path from 'node:path';
import type { ConnectRequest, Provider } from '@roster/core';
import { checkProvider } from './checks.js';
import { exportSourceFor } from './client/source.js';
import { configSchema, readConfig } from './config.js';
import { ProlianceConnection } from './connection.js';
import { securityLevelKind } from './kinds/security-level/index.js';
import { serviceAccountKind } from './kinds/service-account/index.js';

/**
 * Open a session: the registers' export the config names, read as it is now and again whenever a
 * file changes. With `endpoint: sandbox`, the sandbox entry (`@roster/provider-proliance/sandbox`)
 * has started the registers first and passes the export they write.
 *
 * Relative export paths are resolved against `baseDir` when the request carries one (the
 * directory of the Provider document), else the working directory.
 */
export async function connectProliance(req: ConnectRequest): Promise<ProlianceConnection> {
  const baseDir = (req as ConnectRequest & { baseDir?: string }).baseDir;
  const cfg = readConfig(req.name, req.config, baseDir);
  if (cfg.sandbox)
    throw new Error(
      `provider ${req.name}: endpoint: sandbox is started by @roster/provider-proliance/sandbox before connecting`,
    );
  req.log.debug(`proliance: ${req.name}: reading the export ${path.dirname(cfg.files.accounts)}`);
  return new ProlianceConnection(exportSourceFor(cfg));
}

/** The Proliance provider: every change a manual step; reads from the registers' CSV export. */
const provider = {
  type: 'proliance',
  displayName: 'Proliance',
  description:
    'Proliance (no public API): integration accounts on staff members or contacts (ServiceAccount) and security roles (SecurityLevel), changed by hand and read from the Staff, Contacts, Accounts and Security Roles register export.',
  configSchema,
  kinds: {
    ServiceAccount: serviceAccountKind,
    SecurityLevel: securityLevelKind,
  },
  check: checkProvider,
  connect: connectProliance,
} satisfies Provider;

export default provider;
