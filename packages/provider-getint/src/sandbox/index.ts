/**
 * `@roster/provider-getint/sandbox`: Getint's sandbox, loaded only for Provider documents with
 * `endpoint: sandbox` and by `roster sandbox serve`. Getint has no management API, so the sandbox is
 * its UI only: an admin console (`/__sandbox/connections`) that the sandbox operator does manual
 * steps through.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProviderSandbox } from '@roster/sim-kit';
import { GetintOperator } from './operator.js';
import { startConsole } from './server.js';
import { SandboxStore } from './store.js';

const sandbox = {
  async start(req) {
    // Without a directory the connections live in a temporary one, removed on close.
    const temporary = req.dir ? undefined : await mkdtemp(path.join(tmpdir(), 'roster-getint-'));
    const dir = req.dir ?? temporary!;
    const server = await startConsole(new SandboxStore(dir));
    req.log.debug(`getint: ${req.name}: sandbox console at ${server.url}/__sandbox/ (${dir})`);
    return {
      config: { ...req.config, endpoint: server.url },
      consoleToken: server.consoleToken,
      close: async () => {
        await server.close();
        if (temporary) await rm(temporary, { recursive: true, force: true });
      },
    };
  },
  serve: (req) =>
    startConsole(new SandboxStore(req.sandboxDir), {
      host: req.host,
      port: req.port,
      ...(req.allowRemote !== undefined ? { allowRemote: req.allowRemote } : {}),
    }),
  console: (req) => new GetintOperator(String(req.config.endpoint), req.token),
} satisfies ProviderSandbox;

export default sandbox;
