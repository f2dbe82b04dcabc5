import path from 'node:path';
import {
  DiagnosticsError,
  hasErrors,
  journalPath,
  type Logger,
  MAX_REFRESH_CONCURRENCY,
  missingStateDiagnostic,
  openProject,
  type Project,
  projectDirOf,
  type StateDocument,
  stderrLogger,
  validRefreshConcurrency,
} from '@roster/core';
import { type Command, Option } from 'commander';
import { printDiagnostics } from './output.js';
import { builtinProviders } from './providers.js';
import { SelectedBackend } from './state-backend.js';

/** Options every project command takes. */
export interface CommonOptions {
  file?: string[];
  /** `-R`: read the subdirectories of each `-f` directory too. */
  recursive?: boolean;
  stateDir?: string;
  color?: boolean;
  verbose?: boolean;
  /** `--lock-timeout`, in milliseconds, on the commands that take the state lock. */
  lockTimeout?: number;
  /** `--api-budget`, on the commands that read or write systems (plan, apply, drift). */
  apiBudget?: number;
  /** `--backend`: `local` or a PostgreSQL URL (else `ROSTER_BACKEND`, else a kind: Backend document). */
  backend?: string;
  /** `--workspace` of a shared backend (else `ROSTER_WORKSPACE`, else the Backend document's, else `default`). */
  workspace?: string;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** `-f, --file <path>` (repeatable): the manifests to read. */
export function fileOption(): Option {
  return new Option(
    '-f, --file <path>',
    'manifest file or directory (repeatable; default: the working directory)',
  ).argParser(collect);
}

/** Add `-f`, `--state-dir`, `--no-color`, `-v` to a command. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(fileOption())
    .addOption(recursiveOption())
    .option('--state-dir <dir>', 'where state, sandboxes and the lock live (default: <project>/.roster)')
    .option('--no-color', 'plain output (also: NO_COLOR=1)')
    .option('-v, --verbose', 'log debug details to stderr')
    .option(
      '--backend <url>',
      'state backend: local, or postgres://… (also ROSTER_BACKEND; prefer the variable: a URL on the command line is visible to other users)',
    )
    .option(
      '--workspace <name>',
      'workspace of the state backend (also ROSTER_WORKSPACE; default: default); it must exist: roster workspace new NAME',
    );
}

/** `-R`: every command that reads manifests from `-f` directories takes it. */
export function recursiveOption(): Option {
  return new Option(
    '-R, --recursive',
    "read the manifests in the subdirectories of each -f directory too (default: a directory's own *.yaml/*.yml files)",
  );
}

/**
 * Add `--allow-empty-state` (plan, drift): without it, no state while the manifests declare
 * resources is an error, not an empty state (a removed state file or a mistyped workspace would
 * otherwise plan everything as new and report no drift).
 */
export function withAllowEmptyStateOption(cmd: Command): Command {
  return cmd.option(
    '--allow-empty-state',
    'a first run: no state yet is expected (without it, no state while the manifests declare resources is an error)',
  );
}

/**
 * Add `--api-budget <share>` (plan, apply, drift). No commander default: a value is passed to the
 * providers only when given, so a Provider document's own setting applies otherwise.
 */
export function withApiBudgetOption(cmd: Command): Command {
  return cmd.addOption(
    new Option(
      '--api-budget <share>',
      "share (0–1] of a system's remaining hourly API allowance roster may use; Autotask's threshold is shared by every integration of the database (default 0.5)",
    ).argParser(shareOption('--api-budget')),
  );
}

/** Parse a share in (0, 1]. */
export function shareOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > 1)
      throw new Error(`${name} must be a share in (0, 1], got ${value}`);
    return n;
  };
}

/** Parse `--refresh-concurrency`: an integer from 1 to 64 (reads in flight at once). */
export function refreshConcurrencyOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !validRefreshConcurrency(n))
      throw new Error(`${name} must be an integer from 1 to ${MAX_REFRESH_CONCURRENCY}, got ${value}`);
    return n;
  };
}

/** What `Connections.open` takes from the options: `apiBudget` only when the flag was given. */
export function connectOptions(opts: CommonOptions): { apiBudget?: number } {
  return opts.apiBudget !== undefined ? { apiBudget: opts.apiBudget } : {};
}

export interface RunContext {
  cwd: string;
  log: Logger;
  stateDir: string;
  backend: SelectedBackend;
}

/** Where state lives for these options, without loading manifests. */
export function runContext(opts: CommonOptions): RunContext {
  const cwd = process.cwd();
  const paths = opts.file ?? [];
  const stateDir = opts.stateDir
    ? path.resolve(cwd, opts.stateDir)
    : path.join(projectDirOf(paths, cwd), '.roster');
  const log = stderrLogger({ verbose: opts.verbose === true });
  const backend = new SelectedBackend({
    ...(opts.backend !== undefined ? { flag: opts.backend } : {}),
    ...(opts.workspace !== undefined ? { workspace: opts.workspace } : {}),
    env: process.env,
    stateDir,
    logger: log,
    ...(opts.lockTimeout !== undefined ? { lockTimeoutMs: opts.lockTimeout } : {}),
  });
  return { cwd, log, stateDir, backend };
}

/**
 * Where the write-ahead journal of this run's state is, for messages: the team backend's copy
 * (`roster_journal`) when the backend keeps one, else `.roster/journal`.
 */
export function journalLocation(ctx: RunContext): string {
  return ctx.backend.journal ? `roster_journal of ${ctx.backend.location}` : journalPath(ctx.stateDir);
}

/** Load the project the options point at (diagnostics inside, never thrown). */
export async function loadProjectFor(opts: CommonOptions, ctx: RunContext): Promise<Project> {
  const project = await openProject({
    paths: opts.file ?? [],
    cwd: ctx.cwd,
    ...(opts.recursive ? { recursive: true } : {}),
    stateDir: ctx.stateDir,
    providers: builtinProviders,
  });
  // A kind: Backend document says where state lives, unless --backend or ROSTER_BACKEND overrides it.
  ctx.backend.useProjectBackend(project.backend);
  return project;
}

/**
 * The run context of a command that touches state without planning — `state list|show|rm|mv|migrate`,
 * `force-unlock`, `workspace …` — with the backend resolved exactly as `plan` and `apply` resolve it:
 * `--backend`, `ROSTER_BACKEND`, the project's `kind: Backend` document (`-f`, default the working
 * directory), local. Without the document's part, `state list` on a PostgreSQL project read an
 * empty local state and printed nothing. Errors that can hide or break the Backend document (a file
 * that does not parse, the document itself, its `${env:…}` unset) stop the command: it never falls
 * back to local state because it could not look. Other manifest errors (a Provider's credentials not
 * set on this machine) do not concern state and are left to plan. With `--backend` or `ROSTER_BACKEND`
 * the document is overridden, and its errors do not stop the command.
 */
export async function stateContext(opts: CommonOptions): Promise<RunContext> {
  const ctx = runContext(opts);
  const project = await loadProjectFor(opts, ctx);
  // `--backend`/`ROSTER_BACKEND` override the document (its URL variable need not be set).
  if (opts.backend !== undefined || process.env.ROSTER_BACKEND) return ctx;
  const blocking = project.diagnostics.filter(
    (d) =>
      d.severity === 'error' &&
      (d.address === undefined || d.address.startsWith('Backend/') || d.code === 'manifest.backend'),
  );
  if (blocking.length > 0) throw new DiagnosticsError(blocking);
  return ctx;
}

/**
 * The project, for a command that contacts no system while the manifests have errors: with errors
 * they are printed, the exit code set to 1, and the answer is undefined.
 */
export async function loadValidProjectFor(
  opts: CommonOptions,
  ctx: RunContext,
  setExit: (code: number) => void,
): Promise<Project | undefined> {
  const project = await loadProjectFor(opts, ctx);
  if (!hasErrors(project.diagnostics)) return project;
  printDiagnostics(project.diagnostics);
  setExit(1);
  return undefined;
}

/**
 * The state a read-only report (drift, sod) compares with the systems. No state is an error, never
 * "nothing found": a wrong state dir or workspace must fail the job (unless `--allow-empty-state`).
 */
export async function readReportState(
  command: string,
  ctx: RunContext,
  project: Project,
  opts: { allowEmptyState?: boolean },
): Promise<StateDocument> {
  const state = await ctx.backend.read();
  const missing = missingStateDiagnostic({
    command,
    state,
    declared: project.desired.length,
    location: ctx.backend.location,
    allowEmptyState: opts.allowEmptyState === true,
  });
  if (missing) throw new DiagnosticsError([missing]);
  return state;
}

/** Parse a positive integer option. */
export function intOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`${name} must be a non-negative integer, got ${value}`);
    return n;
  };
}

export { collect };
