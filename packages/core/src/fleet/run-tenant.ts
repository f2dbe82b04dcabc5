import { type ApplyOutcome, applyProject } from '../apply/apply-project.js';
import type { ExecuteEvent } from '../apply/execute.js';
import { type Diagnostic, DiagnosticsError, hasErrors } from '../diagnostics.js';
import type { Logger } from '../logger.js';
import { planBlocked } from '../plan/review.js';
import type { Plan } from '../plan/types.js';
import { blockingFindings, findingsAsDiagnostics } from '../policy/evaluate.js';
import type { Project } from '../project/project.js';
import { Connections } from '../project/refresh.js';
import { missingStateDiagnostic } from '../project/refuse-guess.js';
import { makePlan } from '../project/run.js';
import type { Provider } from '../provider.js';
import type { SandboxHosts } from '../sandbox-host.js';
import type { StateBackend } from '../state/types.js';
import { alignmentOf } from './alignment.js';
import type { Fleet, TenantSource } from './load-fleet.js';
import type { TenantDocuments } from './tenant-documents.js';
import { openTenantProject, tenantStateDir } from './tenant-project.js';
import type { FleetCommand, TenantDriftItem, TenantResult } from './tenant-result.js';

/** What a tenant's run needs from its host (the CLI, a queue worker). */
export interface TenantRunIO {
  /** The tenant's state backend (local: its state directory; PostgreSQL: the workspace named as the tenant). */
  backend(req: { tenant: string; stateDir: string; project: Project }): Promise<StateBackend> | StateBackend;
  log: Logger;
  /** Who runs roster, as the audit log records it. */
  actor: string;
  /** A line about this tenant for the person (stderr). */
  message(tenant: string, line: string): void;
  /** Aborting stops scheduling new operations (apply) and new tenants. */
  signal?: AbortSignal;
}

/** Options of a tenant's run: those of the single-project commands a fleet run passes on. */
export interface TenantRunOptions {
  /** No state yet is expected (plan, drift). */
  allowEmptyState?: boolean;
  apiBudget?: number;
  /** Apply: operations in flight per provider. */
  concurrency?: number;
  /** Apply: manual steps done through the sandboxes. */
  sandboxOperator?: boolean;
  /** Apply: directories outside the fleet where secrets shown once may be stored. */
  secretDirs?: readonly string[];
  onEvent?: (e: ExecuteEvent) => void;
}

export interface RunTenantRequest {
  fleet: Fleet;
  tenant: TenantSource;
  command: FleetCommand;
  providers: Provider[];
  /** The providers' sandboxes, started for Provider documents with `endpoint: sandbox`. */
  sandboxes?: SandboxHosts;
  io: TenantRunIO;
  options?: TenantRunOptions;
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

/**
 * One tenant's validate, plan, apply or drift, through core's ordinary pipeline on the tenant's
 * derived project and in its own state; the result is plain data. Manifests with errors (an
 * expired deviation whose severity is `error` included) are outcome `invalid`; any failure of the
 * run itself is outcome `error` with its message, never thrown: one tenant never stops the others.
 */
export async function runTenant(req: RunTenantRequest): Promise<TenantResult> {
  const { fleet, tenant, command } = req;
  const opened = await openTenantProject({
    fleet,
    tenant,
    providers: req.providers,
    ...(req.env ? { env: req.env } : {}),
    ...(req.now ? { now: req.now } : {}),
  });
  const { project, documents } = opened;
  const base: TenantBase = {
    tenant: tenant.name,
    command,
    changes: 0,
    planned: [],
    manualSteps: 0,
    blockingFindings: 0,
    drift: [],
    drifted: 0,
    deviations: documents.deviations,
  };
  const done = (r: Omit<TenantResult, 'finishedAt'>): TenantResult => ({
    ...r,
    diagnostics: distinct(r.diagnostics.filter((d) => d.severity !== 'info')),
    finishedAt: (req.now ?? new Date()).toISOString(),
  });
  if (hasErrors(project.diagnostics))
    return done({ ...base, exitCode: 1, outcome: 'invalid', diagnostics: project.diagnostics });
  if (command === 'validate')
    return done({ ...base, exitCode: 0, outcome: 'ok', diagnostics: project.diagnostics });
  try {
    const stateDir = tenantStateDir(fleet, tenant.name);
    const backend = await req.io.backend({ tenant: tenant.name, stateDir, project });
    if (command === 'apply') return done(await applyTenant(req, opened, backend, stateDir, base));
    return done(await planTenant(req, opened, backend, stateDir, base));
  } catch (err) {
    // A refused connection, a held lock, an unreachable system, or a bug: that tenant's result, as
    // the single-project CLI's one catch makes it exit 1 with its message.
    return done({
      ...base,
      exitCode: 1,
      outcome: 'error',
      error: oneLine(err),
      diagnostics: diagnosticsOf(err),
    });
  }
}

/** What every result starts from, before its run. */
type TenantBase = Omit<TenantResult, 'exitCode' | 'outcome' | 'diagnostics' | 'finishedAt'>;

/** Plan or drift: read the tenant's systems and plan (normal mode: pending changes count too). */
async function planTenant(
  req: RunTenantRequest,
  opened: { project: Project; documents: TenantDocuments },
  backend: StateBackend,
  stateDir: string,
  base: TenantBase,
): Promise<Omit<TenantResult, 'finishedAt'>> {
  const { project, documents } = opened;
  const state = await backend.read();
  const missing = missingStateDiagnostic({
    command: req.command === 'drift' ? 'drift' : 'plan',
    state,
    declared: project.desired.length,
    location: backend.location,
    allowEmptyState: req.options?.allowEmptyState === true,
  });
  if (missing)
    return { ...base, exitCode: 1, outcome: 'invalid', diagnostics: [...project.diagnostics, missing] };
  const connections = await Connections.open({
    providers: project.providers.values(),
    stateDir,
    readOnly: true,
    log: req.io.log,
    ...(req.options?.apiBudget !== undefined ? { apiBudget: req.options.apiBudget } : {}),
    ...(req.sandboxes ? { sandboxes: req.sandboxes } : {}),
  });
  let plan: Plan;
  try {
    plan = (await makePlan({ project, state, connections, mode: 'normal', log: req.io.log })).plan;
  } finally {
    await connections.close();
  }
  const figures = planFigures(plan, documents);
  const diagnostics = [...project.diagnostics, ...plan.diagnostics, ...findingsAsDiagnostics(plan.findings)];
  if (planBlocked(plan)) return { ...base, ...figures, exitCode: 1, outcome: 'refused', diagnostics };
  if (req.command === 'drift')
    return {
      ...base,
      ...figures,
      exitCode: figures.drifted > 0 ? 2 : 0,
      outcome: figures.drifted > 0 ? 'drift' : 'ok',
      diagnostics,
    };
  return {
    ...base,
    ...figures,
    exitCode: 0,
    outcome: plan.changes.length > 0 ? 'changes' : 'ok',
    diagnostics,
  };
}

/** Changes, manual steps, findings, drift and alignment of a plan. */
function planFigures(plan: Plan, documents: TenantDocuments) {
  const drift = driftItems(plan, documents.baselineNames);
  return {
    changes: plan.changes.length,
    planned: plannedOf(plan),
    summary: plan.summary,
    manualSteps: plan.summary.manual,
    blockingFindings: blockingFindings(plan.findings).length,
    drift,
    drifted: new Set(drift.map((d) => d.address)).size,
    alignment: alignmentOf({
      applicable: documents.applicable,
      deviated: documents.deviations.map((d) => d.address),
      changed: plan.changes.map((c) => c.address),
      drifted: plan.drift.map((d) => d.address),
    }),
  };
}

function plannedOf(plan: Plan): TenantResult['planned'] {
  return plan.changes.map((c) => ({ address: c.address, action: c.action, execution: c.execution }));
}

function driftItems(plan: Plan, baselineNames: Readonly<Record<string, string>>): TenantDriftItem[] {
  return plan.drift.flatMap((d): TenantDriftItem[] => {
    const name = d.address.split('/').slice(2).join('/');
    const resource = baselineNames[d.address] ?? name;
    if (d.status === 'deleted')
      return [{ address: d.address, kind: d.kind, name, resource, status: d.status, attribute: '' }];
    return d.attributes.map((a) => ({
      address: d.address,
      kind: d.kind,
      name,
      resource,
      status: d.status,
      attribute: a.path,
      expected: a.expected,
      actual: a.actual,
    }));
  });
}

async function applyTenant(
  req: RunTenantRequest,
  opened: { project: Project; documents: TenantDocuments },
  backend: StateBackend,
  stateDir: string,
  base: TenantBase,
): Promise<Omit<TenantResult, 'finishedAt'>> {
  const { project, documents } = opened;
  const diagnostics: Diagnostic[] = [...project.diagnostics];
  const opts = req.options ?? {};
  const outcome: ApplyOutcome = await applyProject({
    loadProject: async () => project,
    providers: req.providers,
    ...(req.sandboxes ? { sandboxes: req.sandboxes } : {}),
    backend,
    stateDir,
    projectDir: req.fleet.dir,
    secretDirs: opts.secretDirs ?? [],
    log: req.io.log,
    actor: req.io.actor,
    options: {
      autoApprove: true,
      concurrency: opts.concurrency ?? 8,
      ...(opts.sandboxOperator ? { sandboxOperator: true } : {}),
      ...(opts.apiBudget !== undefined ? { apiBudget: opts.apiBudget } : {}),
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    },
    io: {
      showPlan: () => {},
      diagnostics: (ds) => {
        // The manifests' own diagnostics are already in; the plan's and its findings are added.
        for (const d of ds) if (!diagnostics.includes(d)) diagnostics.push(d);
      },
      message: (line) => req.io.message(req.tenant.name, line),
      confirm: async () => true,
    },
    ...(req.io.signal ? { signal: req.io.signal } : {}),
  });
  const { plan, result } = outcome;
  for (const f of result?.failed ?? [])
    diagnostics.push({
      severity: 'error',
      code: 'apply.failed',
      message: `${f.change.address}: ${f.message}`,
      address: f.change.address,
    });
  if (result?.stateError)
    diagnostics.push({ severity: 'error', code: 'apply.state', message: result.stateError });
  // What the apply did not do is still a pending change; drift the plan found was overwritten by
  // its updates (or is among what was not done).
  const notDone = result
    ? [...result.failed, ...result.pending, ...result.skipped].map((x) => x.change.address)
    : (plan?.changes.map((c) => c.address) ?? []);
  return {
    ...base,
    changes: result ? result.applied.length : 0,
    ...(plan ? { planned: plannedOf(plan), summary: plan.summary } : {}),
    manualSteps: result ? result.pending.length : (plan?.summary.manual ?? 0),
    blockingFindings: plan ? blockingFindings(plan.findings).length : 0,
    alignment: alignmentOf({
      applicable: documents.applicable,
      deviated: documents.deviations.map((d) => d.address),
      changed: notDone,
      drifted: [],
    }),
    exitCode: outcome.exitCode,
    outcome: applyOutcomeName(outcome),
    diagnostics,
  };
}

function applyOutcomeName(o: ApplyOutcome): TenantResult['outcome'] {
  if (o.stage === 'invalid') return 'invalid';
  if (o.stage === 'refused') return 'refused';
  if (o.exitCode === 130 || o.exitCode === 143) return 'interrupted';
  if (o.exitCode === 3) return 'pending';
  if (o.exitCode !== 0) return 'failed';
  return o.stage === 'applied' ? 'changes' : 'ok';
}

function diagnosticsOf(err: unknown): Diagnostic[] {
  if (err instanceof DiagnosticsError) return err.diagnostics;
  return [
    { severity: 'error', code: 'fleet.run', message: err instanceof Error ? err.message : String(err) },
  ];
}

/** Each diagnostic once (the manifests' own come back with the plan's). */
function distinct(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.file, d.line, d.column, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
