import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { requireAllCredentials, type SandboxServeJson, sandboxDirOf, UserError } from '@roster/core';
import { Command } from 'commander';
import {
  type CommonOptions,
  intOption,
  loadValidProjectFor,
  runContext,
  withCommonOptions,
} from '../context.js';
import { formatOption, type OutputFormat } from '../format-option.js';
import { err, out } from '../output.js';
import { builtinSandboxes } from '../providers.js';

interface ServeOptions extends CommonOptions {
  provider: string;
  port: number;
  host: string;
  allowRemote?: boolean;
  latency?: number;
  format: OutputFormat;
}

export function sandboxCommand(setExit: (code: number) => void): Command {
  const sandbox = new Command('sandbox').description(
    'the simulated systems behind `endpoint: sandbox` providers',
  );
  sandbox.addCommand(
    withCommonOptions(new Command('serve'))
      .description("serve a sandbox provider's simulated system over HTTP, on the system's real API paths")
      .requiredOption('--provider <name>', 'metadata.name of a Provider document with endpoint: sandbox')
      .option('--port <n>', 'port to listen on (0: any free port)', intOption('--port'), 0)
      .option('--host <host>', 'address to listen on (loopback by default)', '127.0.0.1')
      .option(
        '--allow-remote',
        'allow a --host that is not loopback (the sandbox is then reachable from the network)',
      )
      .option('--latency <ms>', 'added latency per request', intOption('--latency'))
      .addOption(formatOption())
      .addHelpText(
        'after',
        `
stdout gets the URL once it listens; --format json prints one line instead
(schemas/sandbox-serve.schema.json). Messages and the console secret go to stderr.

Examples:
  $ roster sandbox serve -f examples/quickstart --provider intacct-sandbox --port 8080
  # then change something behind roster's back and run: roster drift -f examples/quickstart`,
      )
      .action(async (opts: ServeOptions) => {
        if (!isLoopback(opts.host) && !opts.allowRemote) {
          throw new UserError(
            `--host ${opts.host} is not a loopback address: a sandbox accepts any credentials it is given and its console hands out passwords; add --allow-remote to serve it to the network anyway`,
          );
        }
        const ctx = runContext(opts);
        const project = await loadValidProjectFor(opts, ctx, setExit);
        if (!project) return;
        const p = project.providers.get(opts.provider);
        if (!p) {
          throw new UserError(
            `no Provider document named ${opts.provider} (known: ${[...project.providers.keys()].join(', ') || 'none'})`,
          );
        }
        if (!p.sandbox)
          throw new UserError(`provider ${opts.provider} is not a sandbox (its endpoint is not "sandbox")`);
        const sandbox = await builtinSandboxes(p.provider.type);
        if (!sandbox) throw new UserError(`provider type ${p.provider.type} has no sandbox`);
        requireAllCredentials(p);
        const server = await sandbox.serve({
          name: p.name,
          config: p.config,
          credentials: p.credentials,
          // The served sandbox stands in for the real system, which knows roster's read-only account too.
          ...(p.readCredentials ? { readCredentials: p.readCredentials } : {}),
          sandboxDir: sandboxDirOf(ctx.stateDir, p.name),
          host: opts.host,
          port: opts.port,
          ...(opts.allowRemote ? { allowRemote: true } : {}),
          ...(opts.latency !== undefined ? { faults: { latencyMs: opts.latency } } : {}),
        });
        if (!isLoopback(opts.host)) {
          err(
            `warning: --allow-remote: the sandbox listens on ${opts.host}, reachable from the network; its Host check against DNS rebinding is off (the console secret still applies)`,
          );
        }
        // The admin console's per-run secret: on stderr, and in a 0600 file for scripts.
        const tokenFile = server.consoleToken
          ? path.join(sandboxDirOf(ctx.stateDir, p.name), 'console-token')
          : undefined;
        if (tokenFile && server.consoleToken) {
          await mkdir(path.dirname(tokenFile), { recursive: true, mode: 0o700 });
          await writeFile(tokenFile, `${server.consoleToken}\n`, { mode: 0o600 });
        }
        // One line even as JSON: a script reads the first line of a process that keeps running.
        if (opts.format === 'json')
          out(
            JSON.stringify({
              provider: p.name,
              type: p.provider.type,
              url: server.url,
              ...(tokenFile && server.consoleToken ? { consoleTokenFile: tokenFile } : {}),
            } satisfies SandboxServeJson),
          );
        else out(server.url);
        err(`Serving the ${p.provider.displayName} sandbox of ${p.name} at ${server.url} (Ctrl-C to stop).`);
        if (tokenFile && server.consoleToken) {
          err(
            `Admin console (/__sandbox/): send the header x-roster-sandbox-token: ${server.consoleToken} (also in ${tokenFile})`,
          );
        }
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await server.close();
        if (tokenFile) await rm(tokenFile, { force: true });
        setExit(0);
      }),
  );
  return sandbox;
}

/** `127.0.0.0/8`, `::1` and `localhost`: the addresses `roster sandbox serve` takes without `--allow-remote`. */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
