import path from 'node:path';
import {
  DiagnosticsError,
  type FleetCommand,
  type FleetResults,
  type FleetRun,
  fleetDocument,
  fleetExitCode,
  hasErrors,
  LocalFleetResults,
  loadFleet,
  parseTenantSelector,
  plural,
  renderFleetMarkdown,
  renderFleetText,
  runFleet,
  type StateBackend,
  stderrLogger,
  type TenantResult,
  UserError,
} from '@roster/core';
import { PostgresFleetResults } from '@roster/state-postgres';
import { Command, Option } from 'commander';
import { actorName } from '../actor.js';
import { collect, shareOption } from '../context.js';
import { resultsByBackend, statusBackend, TenantStatePools, tenantBackend } from '../fleet-backends.js';
import { err, out, printDiagnostics } from '../output.js';
import { builtinProviders, builtinSandboxes } from '../providers.js';
import { handleStopSignals } from '../stop-signals.js';
import { enqueueCommand, queuedRunStatus } from './fleet-queued.js';

export interface FleetOptions {
  file?: string;
  tenants?: string;
  format: 'text' | 'json' | 'markdown';
  concurrency?: number;
  color?: boolean;
  verbose?: boolean;
  backend?: string;
  apiBudget?: number;
  allowEmptyState?: boolean;
  detailedExitcode?: boolean;
  autoApprove?: boolean;
  canary?: number;
  sandboxOperator?: boolean;
  secretDir?: string[];
  applyConcurrency: number;
  queue?: boolean;
  run?: string;
}

const positiveInt = (name: string, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new Error(`${name} must be an integer from 1 to ${max}, got ${value}`);
  return n;
};

function fleetOptions(cmd: Command, formats: string[] = ['text', 'json', 'markdown']): Command {
  return cmd
    .option('-f, --file <dir>', 'the fleet directory (holds fleet.yaml; default: the working directory)')
    .option(
      '--tenants <selector>',
      'comma-separated tenant names, globs (acme-*) or label=value (default: all)',
    )
    .addOption(new Option('--format <format>', 'output format on stdout').choices(formats).default('text'))
    .option('--no-color', 'plain output (also: NO_COLOR=1)')
    .option('-v, --verbose', 'log debug details to stderr');
}

function runOptions(cmd: Command): Command {
  return fleetOptions(cmd)
    .option(
      '--concurrency <n>',
      "tenants at once (default: the Fleet's concurrency, else 4)",
      positiveInt('--concurrency', 64),
    )
    .option(
      '--backend <url>',
      'state backend: local, or postgres://… (also ROSTER_BACKEND); a tenant is a workspace',
    )
    .addOption(
      new Option(
        '--api-budget <share>',
        "share (0–1] of each system's remaining hourly API allowance, per tenant",
      ).argParser(shareOption('--api-budget')),
    );
}

/** `roster fleet validate|plan|apply|drift|status`: one baseline over many tenants. */
export function fleetCommand(setExit: (code: number) => void): Command {
  const fleet = new Command('fleet').description(
    'one baseline of manifests over many tenants, each in its own state: validate, plan, apply, drift, status',
  );
  fleet.addHelpText(
    'after',
    `
A fleet directory holds fleet.yaml (kind: Fleet), baseline/*.yaml (manifests with \${tenant.NAME}
placeholders) and tenants/<name>/tenant.yaml (kind: Tenant) with the tenant's own manifests and
deviations. Each tenant's state is .roster/tenants/<name>/ (PostgreSQL: the workspace <name>).

Examples:
  $ roster fleet validate -f examples/fleet
  $ roster fleet plan -f examples/fleet --allow-empty-state
  $ roster fleet apply -f examples/fleet --auto-approve --sandbox-operator --canary 1
  $ roster fleet drift -f examples/fleet --tenants tier=gold --format markdown
  $ roster fleet status -f examples/fleet`,
  );
  fleet.addCommand(
    fleetOptions(new Command('validate'))
      .description('check the baseline and every tenant (no system, no state)')
      .action((opts: FleetOptions) => runCommand('validate', opts, setExit)),
  );
  fleet.addCommand(
    runOptions(new Command('plan'))
      .description('plan every tenant (reads only)')
      .option('--allow-empty-state', 'tenants with no state yet are expected (a first run)')
      .option('--detailed-exitcode', 'exit 2 when any tenant has changes')
      .option(
        '--queue',
        'enqueue one job per tenant for `roster worker` (PostgreSQL backend), print the run id',
      )
      .action((opts: FleetOptions) =>
        opts.queue ? enqueueCommand('plan', opts, setExit) : runCommand('plan', opts, setExit),
      ),
  );
  fleet.addCommand(
    runOptions(new Command('apply'))
      .description('apply every tenant, canaries first; an interrupted fleet apply resumes where it stopped')
      .option('--auto-approve', 'required: review with roster fleet plan first')
      .option(
        '--canary <n>',
        "apply N tenants first (the Fleet's canary list, else the first N by name); stop if any fails",
        positiveInt('--canary', 10_000),
      )
      .option('--sandbox-operator', 'perform manual steps through the sandbox simulators')
      .option(
        '--secret-dir <dir>',
        'a directory outside the fleet where secrets shown once may be stored (repeatable)',
        collect,
      )
      .option(
        '--apply-concurrency <n>',
        'operations in flight per provider within a tenant',
        positiveInt('--apply-concurrency', 64),
        8,
      )
      .action((opts: FleetOptions) => runCommand('apply', opts, setExit)),
  );
  fleet.addCommand(
    runOptions(new Command('drift'))
      .description('report drift in every tenant, grouped by cause (exit 2 when any tenant drifted)')
      .option('--allow-empty-state', 'tenants with no state yet are expected')
      .option(
        '--queue',
        'enqueue one job per tenant for `roster worker` (PostgreSQL backend), print the run id',
      )
      .action((opts: FleetOptions) =>
        opts.queue ? enqueueCommand('drift', opts, setExit) : runCommand('drift', opts, setExit),
      ),
  );
  fleet.addCommand(
    fleetOptions(new Command('status'))
      .description('the last recorded result of each tenant (any fleet command but validate records it)')
      .option('--backend <url>', 'state backend: local, or postgres://… (also ROSTER_BACKEND)')
      .option(
        '--run <id>',
        'a queued run (roster fleet drift --queue): its jobs, queued, running, failed or done',
      )
      .action((opts: FleetOptions) =>
        opts.run !== undefined ? queuedRunStatus(opts, setExit) : statusCommand(opts, setExit),
      ),
  );
  return fleet;
}

async function runCommand(
  command: FleetCommand,
  opts: FleetOptions,
  setExit: (code: number) => void,
): Promise<void> {
  if (command === 'apply' && !opts.autoApprove)
    throw new UserError(
      'roster fleet apply changes many tenants at once: review them with roster fleet plan, then pass --auto-approve',
    );
  const cwd = process.cwd();
  const log = stderrLogger({ verbose: opts.verbose === true });
  const fleet = await loadFleet({ dir: opts.file ?? '.', cwd });
  if (hasErrors(fleet.diagnostics)) throw new DiagnosticsError(fleet.diagnostics);
  printDiagnostics(fleet.diagnostics);
  const select = parseTenantSelector(opts.tenants);
  if (!fleet.tenants.some(select))
    throw new UserError(`--tenants ${opts.tenants} selects no tenant of ${fleet.tenants.length}`);
  const controller = new AbortController();
  const stop = command === 'apply' ? handleStopSignals(controller) : () => {};
  const backends = new Map<string, StateBackend>();
  const pools = new TenantStatePools({
    tenantsAtOnce: opts.concurrency ?? fleet.settings.concurrency,
    log,
  });
  const results: FleetResults | undefined =
    command === 'validate' ? undefined : resultsByBackend(fleet.dir, fleet.settings.name, backends);
  try {
    const run = await runFleet({
      fleet,
      command,
      providers: builtinProviders,
      sandboxes: builtinSandboxes,
      select,
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      ...(opts.canary !== undefined ? { canary: opts.canary } : {}),
      ...(results ? { results } : {}),
      io: {
        backend: ({ tenant, stateDir, project }) => {
          const b = tenantBackend(opts, tenant, stateDir, project, log, pools);
          backends.set(tenant, b);
          return b;
        },
        log,
        actor: actorName(),
        message: (tenant, line) => err(`[${tenant}] ${line}`),
        signal: controller.signal,
      },
      options: {
        ...(opts.allowEmptyState ? { allowEmptyState: true } : {}),
        ...(opts.apiBudget !== undefined ? { apiBudget: opts.apiBudget } : {}),
        concurrency: opts.applyConcurrency ?? 8,
        ...(opts.sandboxOperator ? { sandboxOperator: true } : {}),
        secretDirs: (opts.secretDir ?? []).map((d) => path.resolve(cwd, d)),
      },
      onTenant: (r) => {
        if (opts.format === 'text' || command !== 'validate') err(completionLine(r));
        printDiagnostics(r.diagnostics.map((d) => ({ ...d, message: `[${r.tenant}] ${d.message}` })));
      },
    });
    render(run, opts);
    setExit(fleetExitCode(run, { detailedExitcode: opts.detailedExitcode === true }));
  } finally {
    stop();
    await Promise.allSettled(
      [...backends.values()].map((b) => (b as { close?: () => Promise<void> }).close?.()),
    );
    await pools.close();
  }
}

async function statusCommand(opts: FleetOptions, setExit: (code: number) => void): Promise<void> {
  const fleet = await loadFleet({ dir: opts.file ?? '.', cwd: process.cwd() });
  if (hasErrors(fleet.diagnostics)) throw new DiagnosticsError(fleet.diagnostics);
  const select = parseTenantSelector(opts.tenants);
  const pg = await statusBackend(opts, fleet);
  const store: FleetResults = pg
    ? new PostgresFleetResults(pg, fleet.settings.name)
    : new LocalFleetResults(fleet.dir);
  const known = new Set(fleet.tenants.filter(select).map((t) => t.name));
  const latest = (await store.latest()).filter((r) => known.has(r.tenant));
  const never = [...known].filter((t) => !latest.some((r) => r.tenant === t));
  const run: FleetRun = {
    command: 'plan',
    fleet: fleet.settings.name,
    results: latest,
    notRun: [],
    canary: [],
    diagnostics: [],
  };
  await pg?.close();
  render(run, opts, 'status');
  if (never.length > 0)
    err(`No result recorded yet for ${plural(never.length, 'tenant')}: ${never.join(', ')}.`);
  setExit(0);
}

export function render(
  run: FleetRun,
  opts: FleetOptions,
  command: FleetCommand | 'status' = run.command,
): void {
  const doc = fleetDocument(run, command);
  if (opts.format === 'json') out(JSON.stringify(doc, null, 2));
  else if (opts.format === 'markdown') out(renderFleetMarkdown(doc));
  else out(renderFleetText(doc));
}

/** The line said on stderr as each tenant finishes (a resumed apply is told from these). */
function completionLine(r: TenantResult): string {
  const what =
    r.command === 'apply'
      ? `${plural(r.changes, 'change')} applied`
      : r.command === 'drift'
        ? `${plural(r.drifted, 'resource')} drifted`
        : r.command === 'plan'
          ? plural(r.changes, 'change')
          : 'checked';
  return `fleet: ${r.tenant} ${r.outcome} (${what}, exit ${r.exitCode})`;
}
