import { hostname } from 'node:os';
import {
  DiagnosticsError,
  hasErrors,
  loadFleet,
  plural,
  runTenant,
  type StateBackend,
  stderrLogger,
  type TenantResult,
  UserError,
} from '@roster/core';
import {
  type FleetJob,
  PostgresFleetResults,
  PostgresStateBackend,
  runWorker,
  type WorkerEvent,
} from '@roster/state-postgres';
import { Command, Option } from 'commander';
import { actorName } from '../actor.js';
import { TenantStatePools, tenantBackend } from '../fleet-backends.js';
import { openFleetQueue } from '../fleet-queue.js';
import { err, printDiagnostics } from '../output.js';
import { builtinProviders, builtinSandboxes } from '../providers.js';

interface WorkerOptions {
  file?: string;
  backend?: string;
  concurrency: number;
  once?: boolean;
  idleExit?: number;
  verbose?: boolean;
}

/** TEST HOOK: a worker with this set says `worker: holding <tenant>` once it claimed a job, then waits for stdin. */
export const HOLD_HOOK_ENV = 'ROSTER_TEST_WORKER_HOLD';

const positive = (name: string, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new Error(`${name} must be an integer from 1 to ${max}, got ${value}`);
  return n;
};

/** `roster worker`: run a fleet's queued jobs (`roster fleet drift --queue`), on any number of machines. */
export function workerCommand(setExit: (code: number) => void): Command {
  return new Command('worker')
    .description("run a fleet's queued tenant jobs from its PostgreSQL database (roster fleet drift --queue)")
    .option('-f, --file <dir>', 'the fleet directory (holds fleet.yaml; default: the working directory)')
    .option(
      '--backend <url>',
      "the fleet's PostgreSQL state database (also ROSTER_BACKEND; default: the Fleet's)",
    )
    .option('--concurrency <n>', 'jobs at once', positive('--concurrency', 64), 4)
    .addOption(new Option('--once', 'exit once no job is left to run now').conflicts('idleExit'))
    .option(
      '--idle-exit <seconds>',
      'exit after this long with no job to run',
      positive('--idle-exit', 86_400),
    )
    .option('-v, --verbose', 'log debug details to stderr')
    .addHelpText(
      'after',
      `
Jobs of one tenant never run at once. A job whose worker fails or is killed is retried (3 times,
backing off); its result is recorded once. SIGINT/SIGTERM: stop taking jobs, finish those running.

Examples:
  $ roster fleet drift -f fleet --queue        # prints the run id
  $ roster worker -f fleet --concurrency 8     # on as many machines as you like
  $ roster fleet status -f fleet --run <id>`,
    )
    .action((opts: WorkerOptions) => work(opts, setExit));
}

async function work(opts: WorkerOptions, setExit: (code: number) => void): Promise<void> {
  const log = stderrLogger({ verbose: opts.verbose === true });
  const fleet = await loadFleet({ dir: opts.file ?? '.', cwd: process.cwd() });
  if (hasErrors(fleet.diagnostics)) throw new DiagnosticsError(fleet.diagnostics);
  printDiagnostics(fleet.diagnostics);
  const opened = await openFleetQueue({ fleet, backend: opts.backend, log, supervise: true });
  const worker = `${hostname()}:${process.pid}`;
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signal === 'SIGTERM' ? 143 : 130);
    err(`worker: ${signal} received: finishing the jobs running (${signal} again to stop at once).`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The jobs a worker runs share its connections to the state database, as a fleet run's tenants do.
  const pools = new TenantStatePools({ tenantsAtOnce: opts.concurrency, log });
  const run = async (job: FleetJob): Promise<TenantResult> => {
    const tenant = fleet.tenants.find((t) => t.name === job.tenant);
    if (!tenant) throw new UserError(`tenant ${job.tenant} is not in this worker's fleet (${fleet.dir})`);
    const backends: StateBackend[] = [];
    try {
      const result = await runTenant({
        fleet,
        tenant,
        command: job.command,
        providers: builtinProviders,
        sandboxes: builtinSandboxes,
        io: {
          backend: ({ tenant: name, stateDir, project }) => {
            const b = tenantBackend(opts, name, stateDir, project, log, pools);
            backends.push(b);
            return b;
          },
          log,
          actor: actorName(),
          message: (name, line) => err(`[${name}] ${line}`),
        },
        options: job.options,
      });
      // The tenant's latest result, where plain `roster fleet status` reads it (the queue's own
      // record of the attempt follows, in runWorker).
      const [b] = backends;
      if (b instanceof PostgresStateBackend)
        await new PostgresFleetResults(b, fleet.settings.name).record(job.tenant, result);
      return result;
    } finally {
      await Promise.allSettled(backends.map((b) => (b as { close?: () => Promise<void> }).close?.()));
    }
  };
  try {
    await opened.queue.start();
    err(`worker: ${worker} taking jobs of fleet ${fleet.settings.name} from ${opened.location}`);
    const { ran } = await runWorker({
      queue: opened.queue,
      results: opened.results,
      worker,
      run,
      concurrency: opts.concurrency,
      ...(opts.once ? { once: true } : {}),
      ...(opts.idleExit !== undefined ? { idleExitSeconds: opts.idleExit } : {}),
      signal: controller.signal,
      onEvent: (e) => err(eventLine(e)),
      ...(process.env[HOLD_HOOK_ENV] ? { claimed: hold } : {}),
    });
    err(`worker: done, ${plural(ran, 'job')} taken.`);
    setExit(0);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await opened.close();
    await pools.close();
  }
}

/** The test hook: the job stays claimed (running) until stdin says otherwise, or the worker is killed. */
function hold(job: FleetJob): Promise<void> {
  err(`worker: holding ${job.tenant}`);
  return new Promise((resolve) => {
    process.stdin.once('data', () => resolve());
    process.stdin.once('end', () => resolve());
  });
}

function eventLine(e: WorkerEvent): string {
  switch (e.type) {
    case 'started':
      return `worker: ${e.job.tenant} ${e.job.command} started (run ${e.job.runId}, attempt ${e.job.attempt})`;
    case 'finished':
      return `worker: ${e.job.tenant} ${e.result.outcome} (exit ${e.result.exitCode}, run ${e.job.runId})`;
    case 'already-recorded':
      return `worker: ${e.job.tenant} already recorded for run ${e.job.runId}: completed`;
    case 'busy':
      return `worker: ${e.job.tenant} is running elsewhere: retried later`;
    case 'failed':
      return `worker: ${e.job.tenant} attempt ${e.job.attempt} failed: ${e.reason} (retried unless it was the last)`;
    case 'orphans':
      return `worker: retrying ${e.tenants.join(', ')}: the worker that ran ${e.tenants.length === 1 ? 'it' : 'them'} is gone`;
  }
}
