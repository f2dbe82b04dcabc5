import path from 'node:path';
import { type Diagnostic, hasErrors, UserError } from '../diagnostics.js';
import { readPlanFile } from '../plan/plan-file.js';
import type { RemoteSnapshot } from '../plan/remote-snapshot.js';
import { planBlocked } from '../plan/review.js';
import type { Plan } from '../plan/types.js';
import { findingsAsDiagnostics } from '../policy/evaluate.js';
import { applyProgress, type ProgressListener } from '../progress.js';
import type { Project } from '../project/project.js';
import { Connections, kindsToRefresh, refresh } from '../project/refresh.js';
import { unknownAddressDiagnostics } from '../project/refuse-guess.js';
import { makePlan, providersFromPlan } from '../project/run.js';
import type { KindDefinition, Provider } from '../provider.js';
import { renderApplySummary } from '../render/apply-summary.js';
import type { SandboxHosts } from '../sandbox-host.js';
import type { StateDocument } from '../state/types.js';
import { withStateLock } from '../state/with-lock.js';
import { refuseBlocked, refuseEndpoints, refuseOnRecheck, refuseSecretPlaces } from './apply-refusals.js';
import {
  type ApplyEnvironment,
  type ApplyRun,
  executeJournaled,
  type JournaledOptions,
  journalLocation,
  newRun,
  reconciled,
  writeRunbook,
} from './apply-run.js';
import type { ExecuteEvent, ExecuteResult } from './execute.js';
import { findStaleness } from './stale.js';

/** Exit codes of `roster apply`: 130 and 143 are 128 + the number of the signal that stopped it. */
export const APPLY_EXIT = { complete: 0, failed: 1, pending: 3, interrupted: 130, terminated: 143 } as const;

/** The options of one apply (the CLI's flags). */
export interface ApplyOptions extends JournaledOptions {
  /** Do not ask for confirmation. */
  autoApprove?: boolean;
  /** `--replace ADDR`: force a replacement, or allow one a change requires. */
  replace?: readonly string[];
  /** `--target ADDR`: only these resources and what they depend on (manifests only). */
  target?: readonly string[];
  /** `--refresh-only`: record what the systems have now in state (manifests only). */
  refreshOnly?: boolean;
  /** `--api-budget`: share of a system's hourly API allowance roster may use. */
  apiBudget?: number;
  /** Told as the refresh and the apply advance (N/M and the current resource or kind). */
  onProgress?: ProgressListener;
}

/** What an apply says and asks along the way; the CLI gives a terminal's, tests their own. */
export interface ApplyIO {
  /** Show the plan about to be applied (the text renderer; nothing for `--format json`). */
  showPlan(plan: Plan): void;
  /** Diagnostics of the manifests or the plan (stderr). */
  diagnostics(diagnostics: Diagnostic[]): void;
  /** A line for the person (stderr). */
  message(line: string): void;
  /** Ask whether to apply; throws a UserError where nobody can answer (no terminal). */
  confirm(): Promise<boolean>;
}

/** Everything one apply takes: where, what, how, and its I/O. */
export interface ApplyProjectRequest extends ApplyEnvironment {
  /** A plan saved with `roster plan --out` to apply exactly; without one, the manifests' plan. */
  planFile?: string;
  /**
   * Load the manifests: required without a plan file; with one, given only with `-f` (read for the
   * sensitive values the plan masks, and the endpoint allow-list).
   */
  loadProject?: () => Promise<Project>;
  /** The providers a saved plan's provider types are looked up in. */
  providers: readonly Provider[];
  /** Their sandboxes, started for Provider documents with `endpoint: sandbox`. */
  sandboxes?: SandboxHosts;
  options: ApplyOptions;
  io: ApplyIO;
  /** Aborting (`reason` `SIGINT` or `SIGTERM`) stops scheduling: what is in flight finishes. */
  signal?: AbortSignal;
  now?: () => Date;
}

/** How an apply ended: its exit code, and what there is to render. */
export interface ApplyOutcome {
  exitCode: number;
  /** `invalid`: manifests or plan with errors; `refused`: policy; `cancelled`: not confirmed. */
  stage: 'invalid' | 'refused' | 'cancelled' | 'nothing' | 'applied';
  plan?: Plan;
  result?: ExecuteResult;
  /** Path of `.roster/runbook.md` (written when manual steps are pending, removed otherwise). */
  runbook?: string;
  /** The summary lines (stdout) of an applied plan. */
  summary: string[];
}

/**
 * The whole apply: lock → connect → reconcile the journal of a run that died → plan (or read and
 * re-check a saved plan, refused when stale) → confirm → execute → audit → runbook. User errors
 * are thrown as UserError; every other outcome is returned with its exit code.
 */
export function applyProject(req: ApplyProjectRequest): Promise<ApplyOutcome> {
  return req.planFile !== undefined ? applySaved(req, req.planFile) : applyManifests(req);
}

async function applyManifests(req: ApplyProjectRequest): Promise<ApplyOutcome> {
  if (!req.loadProject) throw new Error('applyProject: loadProject is required without a plan file');
  const { options: opts, io } = req;
  const project = await req.loadProject();
  if (hasErrors(project.diagnostics)) {
    io.diagnostics(project.diagnostics);
    return { exitCode: APPLY_EXIT.failed, stage: 'invalid', summary: [] };
  }
  return withStateLock(req.backend, 'apply', async () => {
    const run = newRun(req);
    const connections = await openConnections(req, project.providers.values());
    try {
      const state = await reconciled(req, run, io.message, {
        state: await req.backend.read(),
        connections: connections.byName,
        kindOf: project.kindOf,
        desired: project.desired,
      });
      const unknown = unknownAddressDiagnostics({
        options: [
          { flag: '--target', addresses: opts.target ?? [] },
          { flag: '--replace', addresses: opts.replace ?? [] },
        ],
        declared: project.desired.map((d) => d.address),
        state,
      });
      if (unknown.length > 0) {
        io.diagnostics(unknown);
        return { exitCode: APPLY_EXIT.failed, stage: 'invalid', summary: [] };
      }
      const { plan, remote } = await makePlan({
        project,
        state,
        connections,
        mode: opts.refreshOnly ? 'refresh-only' : 'normal',
        targets: new Set(opts.target ?? []),
        replace: new Set(opts.replace ?? []),
        log: req.log,
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
      io.showPlan(plan);
      io.diagnostics([...plan.diagnostics, ...findingsAsDiagnostics(plan.findings)]);
      if (hasErrors(plan.diagnostics))
        return { exitCode: APPLY_EXIT.failed, stage: 'invalid', plan, summary: [] };
      if (planBlocked(plan)) {
        io.message(
          'Apply refused: policy findings of severity error (above). Fix them, or add an exception with its reason to a kind: Policy manifest.',
        );
        return { exitCode: APPLY_EXIT.failed, stage: 'refused', plan, summary: [] };
      }
      refuseBlocked(plan, opts.replace);
      await refuseSecretPlaces(plan, req);
      if (isEmpty(plan)) return { exitCode: APPLY_EXIT.complete, stage: 'nothing', plan, summary: [] };
      if (plan.changes.length > 0 || plan.mode === 'refresh-only') {
        if (!(opts.autoApprove || (await io.confirm()))) {
          io.message('Apply cancelled.');
          return { exitCode: APPLY_EXIT.failed, stage: 'cancelled', plan, summary: [] };
        }
      }
      return await execute(req, run, 'plan', {
        plan,
        remote,
        connections: connections.byName,
        kindOf: project.kindOf,
        state,
        sensitiveValue: sensitiveFrom(project),
      });
    } finally {
      await run.audit.close();
      await connections.close();
    }
  });
}

async function applySaved(req: ApplyProjectRequest, file: string): Promise<ApplyOutcome> {
  const { options: opts, io } = req;
  const plan = await readPlanFile(file);
  // Manifests are optional here: they are only read for sensitive values the plan masks.
  const project = req.loadProject ? await req.loadProject() : undefined;
  const allowed = new Set(opts.replace ?? []);
  plan.blockedReplacements = plan.blockedReplacements.filter((a) => !allowed.has(a));
  refuseBlocked(plan, opts.replace);
  if (hasErrors(plan.diagnostics)) throw new UserError(`${file} is a plan that failed; it cannot be applied`);
  if (planBlocked(plan))
    throw new UserError(`${file} has policy findings of severity error; it cannot be applied`);
  refuseEndpoints(file, plan, project);
  await refuseSecretPlaces(plan, req);
  const providers = providersFromPlan(plan.providers, [...req.providers]);
  const kindOf = (p: string, k: string) => providers.get(p)?.provider.kinds[k];
  return withStateLock(req.backend, 'apply', async () => {
    const run = newRun(req);
    const connections = await openConnections(req, providers.values());
    try {
      // What a crashed run left is settled first: if that changes state, the plan is stale below.
      const state = await reconciled(req, run, io.message, {
        state: await req.backend.read(),
        connections: connections.byName,
        kindOf,
        ...(project ? { desired: project.desired } : {}),
      });
      // A plan made before any state existed carries the lineage this first apply starts.
      if (state.serial === 0 && Object.keys(state.resources).length === 0) state.lineage = plan.lineage;
      refuseOnRecheck(file, plan, state, providers, project, opts.replace);
      const kinds = kindsToRefresh(plan.changes, undefined, new Set(providers.keys()));
      const { remote } = await refresh({
        connections,
        kinds,
        log: req.log,
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      });
      const stale = findStaleness(plan, state, remote);
      if (stale.length > 0) {
        throw new UserError(
          `the saved plan ${file} is stale and was not applied:\n${stale.map((s) => `  - ${s}`).join('\n')}\nRun roster plan again.`,
        );
      }
      io.showPlan(plan);
      if (isEmpty(plan)) return { exitCode: APPLY_EXIT.complete, stage: 'nothing', plan, summary: [] };
      return await execute(req, run, path.resolve(file), {
        plan,
        remote,
        connections: connections.byName,
        kindOf,
        state,
        ...(project ? { sensitiveValue: sensitiveFrom(project) } : {}),
      });
    } finally {
      await run.audit.close();
      await connections.close();
    }
  });
}

/** Execute a plan, journaled and audited, then write the runbook and say how it ended. */
async function execute(
  req: ApplyProjectRequest,
  run: ApplyRun,
  source: string,
  inputs: {
    plan: Plan;
    remote: RemoteSnapshot;
    connections: Connections['byName'];
    kindOf(provider: string, kind: string): KindDefinition | undefined;
    state: StateDocument;
    sensitiveValue?: (address: string, attribute: string) => unknown;
  },
): Promise<ApplyOutcome> {
  const { onProgress, onEvent } = req.options;
  const progress = onProgress ? applyProgress(inputs.plan.changes.length, onProgress) : undefined;
  const options = progress
    ? {
        ...req.options,
        onEvent: (e: ExecuteEvent) => {
          onEvent?.(e);
          progress(e);
        },
      }
    : req.options;
  const result = await executeJournaled(req, run, options, source, {
    ...inputs,
    ...(req.signal ? { signal: req.signal } : {}),
  });
  const runbook = await writeRunbook(req.stateDir, result, (req.now ?? (() => new Date()))());
  return {
    exitCode: exitCodeOf(result, req.signal),
    stage: 'applied',
    plan: inputs.plan,
    result,
    runbook,
    summary: renderApplySummary(result, { runbook, journalLocation: journalLocation(req) }),
  };
}

/** The exit code of an executed plan: 143 when SIGTERM interrupted it, 130 for SIGINT. */
export function exitCodeOf(result: ExecuteResult, signal?: AbortSignal): number {
  if (result.stateError !== undefined) return APPLY_EXIT.failed;
  if (result.interrupted)
    return signal?.reason === 'SIGTERM' ? APPLY_EXIT.terminated : APPLY_EXIT.interrupted;
  if (result.failed.length > 0) return APPLY_EXIT.failed;
  return result.pending.length > 0 ? APPLY_EXIT.pending : APPLY_EXIT.complete;
}

function openConnections(
  req: ApplyProjectRequest,
  providers: Parameters<typeof Connections.open>[0]['providers'],
) {
  return Connections.open({
    providers,
    stateDir: req.stateDir,
    readOnly: false,
    log: req.log,
    ...(req.sandboxes ? { sandboxes: req.sandboxes } : {}),
    ...(req.options.apiBudget !== undefined ? { apiBudget: req.options.apiBudget } : {}),
  });
}

function isEmpty(plan: Plan): boolean {
  return plan.changes.length === 0 && plan.forget.length === 0 && plan.accept.length === 0;
}

function sensitiveFrom(project: Project) {
  const byAddress = new Map(project.desired.map((d) => [d.address, d]));
  return (address: string, key: string): unknown => byAddress.get(address)?.spec[key];
}
