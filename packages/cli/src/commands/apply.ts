import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import {
  AuditLog,
  type AuditRunOutcome,
  ConfirmedStepsOperator,
  defaultPolicySettings,
  type ExecuteInput,
  type ExecuteResult,
  endpointAllowed,
  ensureStateDir,
  executePlan,
  findingsAsDiagnostics,
  findStaleness,
  hasErrors,
  JournalWriter,
  journalPath,
  kindsToRefresh,
  type ManualOperator,
  makePlan,
  type Plan,
  type Project,
  planBlocked,
  planHash,
  policyRules,
  projectDirOf,
  providersFromPlan,
  readPlanFile,
  recheckPlan,
  reconcileJournal,
  refresh,
  renderPlanText,
  renderRunbookMarkdown,
  SandboxOperator,
  STORED_SECRETS_FILE,
  type StateDocument,
  secretPlaceProblems,
  secretStore,
  UserError,
  unknownAddressDiagnostics,
  withStateLock,
} from '@roster/core';
import { Command } from 'commander';
import writeFileAtomic from 'write-file-atomic';
import { withConnections } from '../connections.js';
import {
  type CommonOptions,
  collect,
  journalLocation,
  loadProjectFor,
  runContext,
  withApiBudgetOption,
  withCommonOptions,
} from '../context.js';
import { refuseDirectory } from '../directory-hint.js';
import { crashPointFromEnv } from '../kill-hook.js';
import { err, out, printDiagnostics, useColor } from '../output.js';
import { builtinProviders } from '../providers.js';
import { TerminalOperator } from '../terminal-operator.js';

interface ApplyOptions extends CommonOptions {
  autoApprove?: boolean;
  replace?: string[];
  target?: string[];
  refreshOnly?: boolean;
  concurrency: number;
  sandboxOperator?: boolean;
  confirm?: string[];
  secretDir?: string[];
}

/** Exit code of an apply stopped by SIGINT (Ctrl-C), and by SIGTERM: 128 + the signal number. */
const INTERRUPTED = 130;
const TERMINATED = 143;

export function applyCommand(setExit: (code: number) => void): Command {
  return withApiBudgetOption(withCommonOptions(new Command('apply')))
    .description('make the systems match the manifests, or apply a saved plan exactly')
    .argument('[plan-file]', 'a plan saved with `roster plan --out FILE`')
    .option('--auto-approve', 'do not ask for confirmation (required without a terminal)')
    .option(
      '--replace <addr>',
      'replace this resource even if nothing changed, or allow a replacement a change requires (repeatable)',
      collect,
    )
    .option('--target <addr>', 'apply only this resource and what it depends on (repeatable)', collect)
    .option(
      '--refresh-only',
      'record what the systems have now in state (accept drift); changes nothing remote',
    )
    .option('--concurrency <n>', 'operations in flight per provider', (v) => Number.parseInt(v, 10), 8)
    .option(
      '--sandbox-operator',
      'perform manual steps through the sandbox simulators (only when every manual step is on a sandbox)',
    )
    .option(
      '--secret-dir <dir>',
      'a directory outside the project where secrets shown once may be stored (repeatable)',
      collect,
    )
    .option(
      '--confirm <addr>',
      "you did this resource's manual step (from .roster/runbook.md): roster verifies and records it (repeatable)",
      collect,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ roster apply -f examples/quickstart            # plan, show, ask, apply
  $ roster apply -f examples/quickstart --auto-approve
  $ roster plan --out plan.json && roster apply plan.json
  $ roster apply -f examples/autotask --auto-approve --sandbox-operator
  $ roster apply --auto-approve --confirm autotask-prod/SecurityLevel/alerts-api

Manual steps (what a system lets only its UI do): on a terminal, apply prints each step and
waits for you; without one it does every API step it can, writes .roster/runbook.md and exits 3.`,
    )
    .action(async (file: string | undefined, opts: ApplyOptions) => {
      if (file !== undefined) refuseDirectory(file, 'apply');
      const ctx = runContext(opts);
      const color = useColor(process.stdout, opts.color);
      const controller = new AbortController();
      // SIGTERM (a CI job cancelled, a container stopped) is handled like Ctrl-C: the first one
      // stops scheduling, lets what is in flight finish and writes state; a second exits at once.
      // The exit code says which: 130 after SIGINT, 143 (128 + 15) after SIGTERM.
      let stoppedBy: NodeJS.Signals | undefined;
      const onSignal = (signal: NodeJS.Signals) => {
        const code = signal === 'SIGTERM' ? 143 : 130;
        if (stoppedBy === undefined) {
          stoppedBy = signal;
          err(
            signal === 'SIGTERM'
              ? 'SIGTERM received: finishing the operations in flight and saving state (SIGTERM again to stop at once).'
              : 'Interrupt received: finishing the operations in flight and saving state (Ctrl-C again to stop at once).',
          );
          controller.abort(signal);
        } else {
          err('Stopping at once.');
          process.exit(code);
        }
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const code = file
          ? await applySaved(file, opts, ctx, color, controller.signal)
          : await applyFresh(opts, ctx, color, controller.signal);
        setExit(code === INTERRUPTED && stoppedBy === 'SIGTERM' ? TERMINATED : code);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

type Ctx = ReturnType<typeof runContext>;

async function applyFresh(
  opts: ApplyOptions,
  ctx: Ctx,
  color: boolean,
  signal: AbortSignal,
): Promise<number> {
  const project = await loadProjectFor(opts, ctx);
  if (hasErrors(project.diagnostics)) {
    printDiagnostics(project.diagnostics);
    return 1;
  }
  return withStateLock(ctx.backend, 'apply', async () => {
    const run = newRun(ctx);
    return withConnections(
      ctx,
      opts,
      { providers: project.providers.values(), readOnly: false },
      async (connections) => {
        try {
          const state = await reconciled(ctx, run, {
            state: await ctx.backend.read(),
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
            printDiagnostics(unknown);
            return 1;
          }
          const { plan, remote } = await makePlan({
            project,
            state,
            connections,
            mode: opts.refreshOnly ? 'refresh-only' : 'normal',
            targets: new Set(opts.target ?? []),
            replace: new Set(opts.replace ?? []),
            log: ctx.log,
          });
          out(renderPlanText(plan, { color }));
          printDiagnostics([...plan.diagnostics, ...findingsAsDiagnostics(plan.findings)]);
          if (hasErrors(plan.diagnostics)) return 1;
          if (planBlocked(plan)) {
            err(
              'Apply refused: policy findings of severity error (above). Fix them, or add an exception with its reason to a kind: Policy manifest.',
            );
            return 1;
          }
          refuseBlocked(plan, opts.replace);
          await refuseSecretPlaces(plan, opts, ctx);
          const nothing = plan.changes.length === 0 && plan.forget.length === 0 && plan.accept.length === 0;
          if (nothing) return 0;
          if (plan.changes.length > 0 || plan.mode === 'refresh-only') {
            if (!(await confirm(opts.autoApprove === true))) {
              err('Apply cancelled.');
              return 1;
            }
          }
          const result = await executeJournaled(ctx, run, opts, 'plan', {
            plan,
            remote,
            connections: connections.byName,
            kindOf: project.kindOf,
            state,
            sensitiveValue: sensitiveFrom(project),
            signal,
          });
          return await report(result, ctx, 'roster apply');
        } finally {
          await run.audit.close();
        }
      },
    );
  });
}

/** Who does manual steps on this run, and how secrets shown once are stored. */
function manualSetup(plan: Plan, opts: ApplyOptions, ctx: Ctx) {
  const confirmed = new Set(opts.confirm ?? []);
  let operator: ManualOperator | undefined;
  if (opts.sandboxOperator) {
    const sandboxes = new Set(plan.providers.filter((p) => p.sandbox).map((p) => p.name));
    const real = [
      ...new Set(
        plan.changes
          .filter((c) => c.execution === 'manual' && !sandboxes.has(c.provider))
          .map((c) => c.provider),
      ),
    ];
    if (real.length > 0)
      throw new UserError(
        `--sandbox-operator performs manual steps only in sandboxes, and ${real.join(', ')} ${real.length === 1 ? 'is not one' : 'are not'}: do those steps by hand (run apply on a terminal, or follow .roster/runbook.md)`,
      );
    operator = new SandboxOperator();
  } else if (process.stdin.isTTY && process.stderr.isTTY) {
    operator = new TerminalOperator(process.stdin, process.stderr, confirmed);
  } else if (confirmed.size > 0) {
    operator = new ConfirmedStepsOperator(confirmed);
  }
  const known = new Set(plan.changes.filter((c) => c.execution === 'manual').map((c) => c.address));
  const unknown = [...confirmed].filter((a) => !known.has(a));
  if (unknown.length > 0)
    throw new UserError(
      `--confirm ${unknown[0]}: the plan has no manual step for it${known.size > 0 ? ` (manual steps: ${[...known].join(', ')})` : ''}`,
    );
  return {
    ...(operator ? { operator } : {}),
    actor: actorName(),
    storeSecret: secretStoreFor(opts, ctx).storeSecret,
  };
}

/**
 * Where this run may store secrets shown once: inside the project directory, or a `--secret-dir`,
 * never over a file roster did not write (`.roster/stored-secrets.json` records those it did).
 */
function secretStoreFor(opts: ApplyOptions, ctx: Ctx) {
  return secretStore({
    projectDir: projectDirOf(opts.file ?? [], ctx.cwd),
    allowedDirs: (opts.secretDir ?? []).map((d) => path.resolve(ctx.cwd, d)),
    registryFile: path.join(ctx.stateDir, STORED_SECRETS_FILE),
  });
}

/**
 * Refuse, before anything is applied, a plan whose secrets shown once would go where roster may
 * not write them: once a system has shown a secret, not storing it would lose it.
 */
async function refuseSecretPlaces(plan: Plan, opts: ApplyOptions, ctx: Ctx): Promise<void> {
  const problems = await secretPlaceProblems(plan.changes, secretStoreFor(opts, ctx).checkSecretPlace);
  if (problems.length > 0) {
    throw new UserError(
      `apply refused: a secret the system shows once could not be stored:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** Who runs roster, as attestations and the audit log record it. */
function actorName(): string {
  return process.env.ROSTER_ACTOR || safeUser();
}

/** One apply run: its id (shared by journal and audit log), actor and audit log. */
interface ApplyRun {
  id: string;
  actor: string;
  audit: AuditLog;
}

function newRun(ctx: Ctx): ApplyRun {
  const id = randomUUID();
  const actor = actorName();
  return {
    id,
    actor,
    audit: new AuditLog({ stateDir: ctx.stateDir, runId: id, actor, backend: ctx.backend, log: ctx.log }),
  };
}

/**
 * Settle what a run that died left in `.roster/journal` (under the state lock, before planning),
 * and say on stderr what was adopted, forgotten or left to the plan.
 */
async function reconciled(
  ctx: Ctx,
  run: ApplyRun,
  input: Pick<Parameters<typeof reconcileJournal>[0], 'state' | 'connections' | 'kindOf' | 'desired'>,
): Promise<StateDocument> {
  // The audit log of the reconciliation is written to .roster/ (0700) even on a fresh checkout
  // whose journal is the team backend's.
  await ensureStateDir(ctx.stateDir);
  const result = await reconcileJournal({
    ...input,
    journalFile: journalPath(ctx.stateDir),
    backend: ctx.backend,
    log: ctx.log,
    audit: run.audit,
    actor: run.actor,
  });
  if (result.lines.length > 0) {
    err(`An earlier apply stopped before it finished; reconciled its journal (${journalLocation(ctx)}):`);
    for (const line of result.lines) err(`  ${line}`);
  }
  if (result.ignoredLocal > 0)
    ctx.log.warn(
      `${journalPath(ctx.stateDir)} holds ${result.ignoredLocal} unfinished operation(s) of an apply on the local backend; this run uses ${ctx.backend.location}, whose journal does not have them: reconcile them with roster apply --backend local first if that state is still in use`,
    );
  for (const e of result.unresolved.filter((x) => x.phase === 'intent'))
    ctx.log.warn(
      `${e.address}: an interrupted ${e.operation} could not be reconciled (provider ${e.provider} is not configured in this run); it stays in the journal`,
    );
  return result.state;
}

/**
 * Run the executor with the write-ahead journal and the audit log: the run's start (who, which
 * plan), every operation's outcome, and how it ended. `inputs` is what differs between applying
 * the manifests' plan and a saved one.
 */
async function executeJournaled(
  ctx: Ctx,
  run: ApplyRun,
  opts: ApplyOptions,
  source: string,
  inputs: Pick<
    ExecuteInput,
    'plan' | 'remote' | 'connections' | 'kindOf' | 'state' | 'sensitiveValue' | 'signal'
  >,
): Promise<ExecuteResult> {
  const { plan } = inputs;
  const hash = planHash(plan);
  await ensureStateDir(ctx.stateDir);
  await run.audit.append({ type: 'apply-start', planHash: hash, source, changes: plan.changes.length });
  // With a team backend the journal is its copy only (the one any machine's next run reads).
  const journal = await JournalWriter.open(
    ctx.backend.journal ? undefined : journalPath(ctx.stateDir),
    run.id,
    ctx.backend.journal,
  );
  const crashPoint = crashPointFromEnv(process.env);
  const manual = manualSetup(plan, opts, ctx);
  let result: ExecuteResult;
  try {
    result = await executePlan({
      ...inputs,
      backend: ctx.backend,
      concurrency: opts.concurrency,
      log: ctx.log,
      onEvent: progress,
      ...manual,
      journal,
      audit: run.audit,
      ...(crashPoint ? { crashPoint } : {}),
    });
  } finally {
    await manual.operator?.close?.();
    await journal.close();
  }
  const outcome: AuditRunOutcome = result.interrupted
    ? 'interrupted'
    : result.failed.length > 0 || result.stateError !== undefined
      ? 'failed'
      : result.pending.length > 0
        ? 'pending'
        : 'complete';
  await run.audit.append({
    type: 'apply-finish',
    planHash: hash,
    outcome,
    counts: {
      done: result.applied.length,
      failed: result.failed.length,
      pending: result.pending.length,
      skipped: result.skipped.length,
    },
  });
  return result;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

async function applySaved(
  file: string,
  opts: ApplyOptions,
  ctx: Ctx,
  color: boolean,
  signal: AbortSignal,
): Promise<number> {
  const plan = await readPlanFile(file);
  // Manifests are optional here: they are only read for sensitive values the plan masks.
  const project = opts.file ? await loadProjectFor(opts, ctx) : undefined;
  const allowed = new Set(opts.replace ?? []);
  plan.blockedReplacements = plan.blockedReplacements.filter((a) => !allowed.has(a));
  refuseBlocked(plan, opts.replace);
  if (hasErrors(plan.diagnostics)) throw new UserError(`${file} is a plan that failed; it cannot be applied`);
  if (planBlocked(plan))
    throw new UserError(`${file} has policy findings of severity error; it cannot be applied`);
  // With -f, the manifests' Policy endpoints allow-list holds for the plan's providers too.
  const allowList = project?.policies.endpoints;
  for (const p of allowList ? plan.providers : []) {
    const endpoint = p.config.endpoint;
    if (
      typeof endpoint === 'string' &&
      endpoint.includes('://') &&
      !endpointAllowed(endpoint, allowList?.get(p.type)?.patterns ?? [])
    )
      throw new UserError(
        `${file}: the endpoint ${endpoint} of provider ${p.name} is not in the Policy endpoints allow-list of the manifests; nothing was sent`,
      );
  }
  await refuseSecretPlaces(plan, opts, ctx);
  const providers = providersFromPlan(plan.providers, builtinProviders);
  const kindOf = (p: string, k: string) => providers.get(p)?.provider.kinds[k];
  return withStateLock(ctx.backend, 'apply', async () => {
    const run = newRun(ctx);
    return withConnections(
      ctx,
      opts,
      { providers: providers.values(), readOnly: false },
      async (connections) => {
        try {
          // What a crashed run left is settled first: if that changes state, the plan is stale below.
          const state = await reconciled(ctx, run, {
            state: await ctx.backend.read(),
            connections: connections.byName,
            kindOf,
            ...(project ? { desired: project.desired } : {}),
          });
          // A plan made before any state existed carries the lineage this first apply starts.
          if (state.serial === 0 && Object.keys(state.resources).length === 0) state.lineage = plan.lineage;
          refuseOnRecheck(file, plan, state, providers, project, opts.replace);
          const kinds = kindsToRefresh(plan.changes, undefined, new Set(providers.keys()));
          const { remote } = await refresh({ connections, kinds, log: ctx.log });
          const stale = findStaleness(plan, state, remote);
          if (stale.length > 0) {
            throw new UserError(
              `the saved plan ${file} is stale and was not applied:\n${stale.map((s) => `  - ${s}`).join('\n')}\nRun roster plan again.`,
            );
          }
          out(renderPlanText(plan, { color }));
          if (plan.changes.length === 0 && plan.forget.length === 0 && plan.accept.length === 0) return 0;
          const result = await executeJournaled(ctx, run, opts, path.resolve(file), {
            plan,
            remote,
            connections: connections.byName,
            kindOf,
            state,
            ...(project ? { sensitiveValue: sensitiveFrom(project) } : {}),
            signal,
          });
          return await report(result, ctx, 'roster apply');
        } finally {
          await run.audit.close();
        }
      },
    );
  });
}

/**
 * Check the saved plan's changes again — policies, kind checks, replacements — instead of trusting
 * the findings it carries: a plan file can be edited, and without `ROSTER_PLAN_KEY` nothing shows it.
 * Refuses on any error, signed plan or not.
 */
function refuseOnRecheck(
  file: string,
  plan: Plan,
  state: StateDocument,
  providers: ReturnType<typeof providersFromPlan>,
  project: Project | undefined,
  replace: string[] | undefined,
): void {
  const rules = policyRules([...new Set([...providers.values()].map((p) => p.provider))]);
  const { findings, blocking } = recheckPlan({
    plan,
    state,
    providerTypes: new Map([...providers.values()].map((p) => [p.name, p.provider.type])),
    kindOf: (p, k) => providers.get(p)?.provider.kinds[k],
    rules,
    settings: project?.policies ?? defaultPolicySettings(rules),
    now: new Date(),
    ...(project ? { desired: project.desired } : {}),
    replace: new Set(replace ?? []),
  });
  if (blocking.length === 0) return;
  const recorded = (plan.findings ?? []).filter((f) => f.severity === 'error' && !f.excepted).length;
  const edited =
    recorded === 0 && findings.some((f) => f.severity === 'error' && !f.excepted)
      ? ' (the plan file reports none: it was edited, or made with other policies)'
      : '';
  throw new UserError(
    `${file} cannot be applied: checked again before applying, its changes are refused${edited}:\n${blocking.map((b) => `  - ${b}`).join('\n')}`,
  );
}

function refuseBlocked(plan: Plan, replace: string[] | undefined): void {
  const allowed = new Set(replace ?? []);
  const blocked = plan.blockedReplacements.filter((a) => !allowed.has(a));
  if (blocked.length > 0) {
    throw new UserError(
      `refusing to replace ${blocked.join(', ')}: a replacement creates a new object (a service account gets new credentials and its integrations break). Set lifecycle.allowReplace: true on the resource, or pass --replace ${blocked[0]}`,
    );
  }
}

async function confirm(autoApprove: boolean): Promise<boolean> {
  if (autoApprove) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UserError(
      'apply needs confirmation, but there is no terminal: pass --auto-approve (or apply a saved plan)',
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question("Do you want to apply these changes? Only 'yes' will be accepted: ");
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

function sensitiveFrom(project: Project) {
  const byAddress = new Map(project.desired.map((d) => [d.address, d]));
  return (address: string, key: string): unknown => byAddress.get(address)?.spec[key];
}

function progress(e: Parameters<NonNullable<ExecuteInput['onEvent']>>[0]): void {
  switch (e.type) {
    case 'start':
      err(`${e.change.address}: ${e.change.action}…`);
      break;
    case 'done':
      err(`${e.change.address}: ${e.change.action} done (${e.ms} ms)`);
      break;
    case 'failed':
      err(`${e.change.address}: ${e.change.action} FAILED: ${e.message}`);
      break;
    case 'skipped':
      err(`${e.change.address}: ${e.change.action} skipped (${e.reason})`);
      break;
    case 'pending':
      err(`${e.change.address}: ${e.change.action} pending (${e.reason})`);
      break;
    case 'notice':
      err(`${e.change.address}: ${e.message}`);
      break;
  }
}

async function report(result: ExecuteResult, ctx: Ctx, command: string): Promise<number> {
  const { stateDir } = ctx;
  const runbook = path.join(stateDir, 'runbook.md');
  if (result.pending.length === 0) await rm(runbook, { force: true });
  else {
    await ensureStateDir(stateDir);
    await writeFileAtomic(
      runbook,
      renderRunbookMarkdown(result.pending, { generatedAt: new Date().toISOString(), command }),
      { mode: 0o600 },
    );
  }
  const count = (action: string) => result.applied.filter((c) => c.action === action).length;
  const parts = [
    `${count('create')} created`,
    `${count('update')} updated`,
    `${count('replace')} replaced`,
    `${count('deactivate')} deactivated`,
    `${count('delete')} deleted`,
  ];
  if (count('import')) parts.push(`${count('import')} imported`);
  if (count('rotate')) parts.push(`${count('rotate')} rotated`);
  const steps = result.pending.filter((p) => p.change.manual).length;
  const pendingLine = `${steps} manual step(s) pending${result.pending.length > steps ? `, ${result.pending.length - steps} change(s) waiting for them` : ''}; the runbook is in ${runbook}. Do the steps, then run roster apply again (on a terminal, or with --confirm ADDR).`;
  if (result.stateError !== undefined) {
    out(
      `Apply failed: state could not be written (${result.stateError}); ${parts.join(', ')}, ${result.skipped.length} not started. The journal (${journalLocation(ctx)}) holds every change that was made: the next roster plan or apply records them in state. Fix the cause first.`,
    );
    for (const f of result.failed) out(`  ${f.change.address}: ${f.message}`);
    return 1;
  }
  if (result.interrupted) {
    out(
      `Interrupted: ${parts.join(', ')}; ${result.failed.length} failed, ${result.skipped.length} not started. State is saved; run roster apply again to finish.`,
    );
    for (const f of result.failed) out(`  ${f.change.address}: ${f.message}`);
    return INTERRUPTED;
  }
  if (result.failed.length > 0) {
    out(
      `Apply failed: ${result.failed.length} operation(s) failed, ${result.skipped.length} skipped; ${parts.join(', ')}.`,
    );
    for (const f of result.failed) out(`  ${f.change.address}: ${f.message}`);
    if (result.pending.length > 0) out(pendingLine);
    out('State records everything that was done. Fix the cause and run roster apply again.');
    return 1;
  }
  if (result.pending.length > 0) {
    out(`Apply incomplete: ${parts.join(', ')}.`);
    out(pendingLine);
    for (const p of result.pending) out(`  ${p.change.address}: ${p.reason}`);
    return 3;
  }
  out(`Apply complete! ${parts.join(', ')}.`);
  return 0;
}
