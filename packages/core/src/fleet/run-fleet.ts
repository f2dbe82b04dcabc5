import pLimit from 'p-limit';
import type { Diagnostic } from '../diagnostics.js';
import type { Provider } from '../provider.js';
import type { SandboxHosts } from '../sandbox-host.js';
import { FleetApplyLog, fleetRunId } from './apply-progress.js';
import type { FleetResults } from './fleet-results.js';
import type { Fleet, TenantSource } from './load-fleet.js';
import { runTenant, type TenantRunIO, type TenantRunOptions } from './run-tenant.js';
import type { FleetCommand, TenantResult } from './tenant-result.js';
import type { SelectableTenant } from './tenant-selector.js';

export interface RunFleetRequest {
  fleet: Fleet;
  command: FleetCommand;
  providers: Provider[];
  /** The providers' sandboxes, started for Provider documents with `endpoint: sandbox`. */
  sandboxes?: SandboxHosts;
  io: TenantRunIO;
  options?: TenantRunOptions;
  /** `--tenants`: which tenants (default all). */
  select?: (tenant: SelectableTenant) => boolean;
  /** Tenants at once (default the Fleet's `concurrency`). */
  concurrency?: number;
  /** Apply: `--canary N`. */
  canary?: number;
  /** Where each tenant's result is recorded (not for validate). */
  results?: FleetResults;
  /** Told as each tenant finishes. */
  onTenant?: (result: TenantResult) => void;
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

/** A whole fleet run: every selected tenant's result, and what was not run and why. */
export interface FleetRun {
  command: FleetCommand;
  fleet: string;
  /** Results of the tenants that ran, sorted by name. */
  results: TenantResult[];
  /** Tenants selected but not run: a failed canary, an interruption, or a resumed run's finished ones. */
  notRun: Array<{ tenant: string; reason: 'canary-failed' | 'interrupted' | 'already-applied' }>;
  /** Apply: the canary tenants, in the order they ran. */
  canary: string[];
  /** Apply: the run id, and whether this run resumed an interrupted one. */
  runId?: string;
  resumed?: boolean;
  /** Problems of fleet.yaml and the tenant directories. */
  diagnostics: Diagnostic[];
}

/**
 * Run a fleet command over the selected tenants, `concurrency` at a time, each with its own
 * connections, state and budgets (`runTenant`). Apply with `canary`: those tenants first, and
 * the rest only if none failed or left a blocking finding. An apply records each tenant it
 * completes; a re-run of the same run (same manifests and selection) skips them.
 */
export async function runFleet(req: RunFleetRequest): Promise<FleetRun> {
  const { fleet, command } = req;
  const selected = fleet.tenants.filter((t) => (req.select ? req.select(t) : true));
  const run: FleetRun = {
    command,
    fleet: fleet.settings.name,
    results: [],
    notRun: [],
    canary: [],
    diagnostics: fleet.diagnostics,
  };
  const limit = pLimit(Math.max(1, req.concurrency ?? fleet.settings.concurrency));
  const log = command === 'apply' ? new FleetApplyLog(fleet.dir) : undefined;
  const runId =
    command === 'apply'
      ? fleetRunId(
          fleet,
          selected.map((t) => t.name),
        )
      : undefined;
  const previous = log && runId ? await log.resume(runId) : undefined;
  const completed = new Set(previous?.completed ?? []);
  if (runId) {
    run.runId = runId;
    run.resumed = previous !== undefined;
  }
  const one = async (t: TenantSource): Promise<TenantResult | undefined> => {
    if (req.io.signal?.aborted) {
      run.notRun.push({ tenant: t.name, reason: 'interrupted' });
      return undefined;
    }
    const result = await runTenant({
      fleet,
      tenant: t,
      command,
      providers: req.providers,
      ...(req.sandboxes ? { sandboxes: req.sandboxes } : {}),
      io: req.io,
      ...(req.options ? { options: req.options } : {}),
      ...(req.env ? { env: req.env } : {}),
      ...(req.now ? { now: req.now } : {}),
    });
    run.results.push(result);
    if (command !== 'validate') await req.results?.record(t.name, result);
    if (log && runId && result.exitCode === 0) {
      completed.add(t.name);
      await log.save({ runId, completed: [...completed].sort() });
    }
    req.onTenant?.(result);
    return result;
  };
  const runAll = (tenants: readonly TenantSource[]) => Promise.all(tenants.map((t) => limit(() => one(t))));

  let todo = selected;
  if (log) {
    for (const t of selected.filter((x) => completed.has(x.name)))
      run.notRun.push({ tenant: t.name, reason: 'already-applied' });
    todo = selected.filter((t) => !completed.has(t.name));
  }
  if (command === 'apply' && req.canary !== undefined && req.canary > 0) {
    const canaries = canaryTenants(fleet, todo, req.canary);
    run.canary = canaries.map((t) => t.name);
    const first = await runAll(canaries);
    const rest = todo.filter((t) => !canaries.includes(t));
    if (first.some((r) => r !== undefined && canaryFailed(r))) {
      for (const t of rest) run.notRun.push({ tenant: t.name, reason: 'canary-failed' });
      todo = [];
    } else todo = rest;
  }
  await runAll(todo);
  run.results.sort((a, b) => a.tenant.localeCompare(b.tenant));
  run.notRun.sort((a, b) => a.tenant.localeCompare(b.tenant));
  const unfinished =
    run.notRun.some((n) => n.reason !== 'already-applied') || run.results.some((r) => r.exitCode !== 0);
  if (log && !unfinished) await log.finish();
  return run;
}

/** The canary tenants: the Fleet's `canary` list (those to do), else the first N by name. */
function canaryTenants(fleet: Fleet, todo: readonly TenantSource[], n: number): TenantSource[] {
  const named = fleet.settings.canary
    .map((name) => todo.find((t) => t.name === name))
    .filter((t): t is TenantSource => t !== undefined);
  return (named.length > 0 ? named : [...todo]).slice(0, n);
}

/** A canary stops the rest when it failed in any way or left a blocking finding (manual steps pending do not). */
function canaryFailed(r: TenantResult): boolean {
  return r.blockingFindings > 0 || (r.exitCode !== 0 && r.exitCode !== 3);
}

/**
 * The exit code of a fleet run, as the single-project command's: 1 if any tenant failed (or was not
 * run after a failed canary), 130/143 if interrupted, then apply 3 (manual steps pending), drift 2
 * (drift found), plan 2 with `detailedExitcode` (changes), else 0.
 */
export function fleetExitCode(run: FleetRun, opts: { detailedExitcode?: boolean } = {}): number {
  const codes = run.results.map((r) => r.exitCode);
  if (codes.includes(1) || run.notRun.some((n) => n.reason === 'canary-failed')) return 1;
  if (codes.includes(143)) return 143;
  if (codes.includes(130) || run.notRun.some((n) => n.reason === 'interrupted')) return 130;
  if (run.command === 'apply' && codes.includes(3)) return 3;
  if (run.command === 'drift' && codes.includes(2)) return 2;
  if (run.command === 'plan' && opts.detailedExitcode && run.results.some((r) => r.changes > 0)) return 2;
  return 0;
}
