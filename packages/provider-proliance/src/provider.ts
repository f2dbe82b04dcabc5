import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConnectRequest, Provider, SandboxServeRequest, SandboxServer } from '@roster/core';
import { faultsFromEnv, servedSandbox, serveOptions } from '@roster/sim-kit';
import { checkProvider } from './checks.js';
import { configSchema, readConfig } from './config.js';
import { ProlianceConnection } from './connection.js';
import { filesIn } from './export/read-export.js';
import { ExportSource } from './export/source.js';
import { securityLevelKind } from './kinds/security-level.js';
import { serviceAccountKind } from './kinds/service-account.js';
import { SandboxConsole, type SandboxConsoleOptions, SandboxOperator } from './operator.js';
import { type Sandbox, startSandbox } from './simulator/server.js';
import { RegisterStore } from './simulator/store.js';

/** Settings a caller may tune (tests: instant retries). */
export type ConsoleTuning = Omit<SandboxConsoleOptions, 'fetch'> & { fetch?: typeof fetch };

/**
 * Open a connection. A real system is read from the export the config names. With
 * `endpoint: sandbox` the registers live in `req.sandboxDir` (a temporary directory when none is
 * given, removed on close): the sandbox writes its export under `<dir>/export/` now, and the
 * connection reads it exactly as it reads a real one. Manual steps (`operate`) go through the
 * sandbox's console, started on a loopback port the first time one is needed.
 *
 * Relative export paths are resolved against `baseDir` when the request carries one (the
 * directory of the Provider document), else the working directory.
 */
export async function connectProliance(
  req: ConnectRequest,
  tuning: ConsoleTuning = {},
): Promise<ProlianceConnection> {
  const baseDir = (req as ConnectRequest & { baseDir?: string }).baseDir;
  const cfg = readConfig(req.name, req.config, baseDir);
  if (!cfg.sandbox) {
    const source = new ExportSource(cfg.files, {
      delimiter: cfg.delimiter,
      ...(cfg.columns !== undefined ? { columns: cfg.columns } : {}),
      ...(cfg.maxAgeHours !== undefined ? { maxAgeHours: cfg.maxAgeHours } : {}),
    });
    req.log.debug(`proliance: ${req.name}: reading the export ${path.dirname(cfg.files.accounts)}`);
    return new ProlianceConnection(source);
  }
  const temporary = req.sandboxDir ? undefined : await mkdtemp(path.join(tmpdir(), 'roster-proliance-'));
  const dir = req.sandboxDir ?? temporary!;
  const store = await RegisterStore.open({ dir });
  // The sandbox's export is as fresh as the connection: changes made through a served console show.
  await store.writeExport();
  const source = new ExportSource(filesIn(store.exportDir), { lock: () => store.lock() });
  let sandbox: Promise<Sandbox> | undefined;
  const openConsole = async () => {
    sandbox ??= startSandbox({ dir, store, faults: faultsFromEnv() }).then((s) => {
      req.log.debug(`proliance: ${req.name}: sandbox console at ${s.url}/__sandbox/`);
      return s;
    });
    const s = await sandbox;
    return new SandboxConsole(s.url, { consoleToken: s.consoleToken, ...tuning });
  };
  req.log.debug(`proliance: ${req.name}: sandbox in ${dir}${temporary ? ' (temporary)' : ''}`);
  return new ProlianceConnection(source, {
    operator: new SandboxOperator(openConsole, source),
    onClose: async () => {
      if (sandbox) await (await sandbox).close();
      await store.close();
      if (temporary) await rm(temporary, { recursive: true, force: true });
    },
  });
}

/** `roster sandbox serve`: the sandbox's console over HTTP, on the provider's sandbox directory. */
async function serveSandbox(req: SandboxServeRequest): Promise<SandboxServer> {
  readConfig(req.name, req.config);
  return servedSandbox(await startSandbox(serveOptions(req)));
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
  connect: (req: ConnectRequest) => connectProliance(req),
  serveSandbox,
} satisfies Provider;

export default provider;
