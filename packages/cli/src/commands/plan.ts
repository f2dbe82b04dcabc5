import { writeFile } from 'node:fs/promises';
import {
  type CommentContext,
  Connections,
  DEFAULT_REFRESH_CONCURRENCY,
  type Diagnostic,
  findingsAsDiagnostics,
  hasErrors,
  journalPath,
  MAX_REFRESH_CONCURRENCY,
  makePlan,
  missingStateDiagnostic,
  PLAN_KEY_ENV,
  type Plan,
  type Project,
  planBlocked,
  planKeyFromEnv,
  plural,
  type RefreshMode,
  readRunJournal,
  renderPlanMarkdown,
  renderPlanText,
  type StateDocument,
  unfinishedAddresses,
  unknownAddressDiagnostics,
  writePlanFile,
} from '@roster/core';
import { Command, Option } from 'commander';
import { commentContext, reapplyCommand, shellWord, shownPath } from '../comment-context.js';
import {
  type CommonOptions,
  collect,
  connectOptions,
  journalLocation,
  loadProjectFor,
  type RunContext,
  refreshConcurrencyOption,
  runContext,
  withAllowEmptyStateOption,
  withApiBudgetOption,
  withCommonOptions,
} from '../context.js';
import { err, out, printDiagnostics, useColor } from '../output.js';
import { emptyPlanFor } from './shared.js';

interface PlanOptions extends CommonOptions {
  out?: string;
  format: 'text' | 'json' | 'markdown';
  detailedExitcode?: boolean;
  refreshOnly?: boolean;
  target?: string[];
  replace?: string[];
  outMarkdown?: string;
  refreshMode: RefreshMode;
  refreshConcurrency: number;
  allowEmptyState?: boolean;
  applyNote?: string;
}

/** Whether a plan would change anything (in systems or, for refresh-only plans, in state). */
export function planHasChanges(plan: Plan): boolean {
  return plan.mode === 'refresh-only' ? plan.drift.length > 0 : plan.changes.length > 0;
}

export function planCommand(setExit: (code: number) => void): Command {
  return withAllowEmptyStateOption(withApiBudgetOption(withCommonOptions(new Command('plan'))))
    .description('show the changes that would make the systems match the manifests (reads only)')
    .option('--out <file>', 'save the plan to apply it exactly later with `roster apply FILE`')
    .addOption(
      new Option('--format <format>', 'output format on stdout')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .option(
      '--out-markdown <file>',
      'also write the plan as a pull-request comment (Markdown), even when policy findings fail it',
    )
    .option(
      '--apply-note <text>',
      'the "To apply" sentence of the Markdown comment: what your pipeline does on merge',
    )
    .option('--detailed-exitcode', 'exit 2 when there are changes (0 none, 1 error)')
    .option('--refresh-only', 'only compare state with the systems; applying it records drift in state')
    .option('--target <addr>', 'plan only this resource and what it depends on (repeatable)', collect)
    .option(
      '--replace <addr>',
      'replace this resource even if nothing changed, or allow a replacement a change requires (repeatable)',
      collect,
    )
    .addOption(
      new Option(
        '--refresh-mode <mode>',
        'how to read the systems. bulk: list each kind in bulk (one request per page). per-object: read each object in state by id, N at a time (how Terraform refreshes; for comparison — costs one or more API calls per object)',
      )
        .choices(['bulk', 'per-object'])
        .default('bulk'),
    )
    .addOption(
      new Option(
        '--refresh-concurrency <n>',
        `N of --refresh-mode per-object: reads in flight at once, across all providers (an integer, 1–${MAX_REFRESH_CONCURRENCY})`,
      )
        .argParser(refreshConcurrencyOption('--refresh-concurrency'))
        .default(DEFAULT_REFRESH_CONCURRENCY),
    )
    .addHelpText(
      'after',
      `
No state while the manifests declare resources is an error (a removed state file, a mistyped
--state-dir or workspace): run roster apply or roster import ADDR ID, or pass --allow-empty-state
on a first run. An unknown --target or --replace address is an error naming the nearest ones.

Examples:
  $ roster plan -f examples/quickstart --allow-empty-state   # a first run: no state yet
  $ roster plan --format json --out plan.json
  $ roster plan --format markdown > plan.md     # a pull-request comment
  $ roster plan --out plan.json --out-markdown plan.md --detailed-exitcode
  $ roster plan --detailed-exitcode || [ $? -eq 2 ]
  $ roster plan --format json --refresh-mode per-object   # compare stats.apiCalls with a bulk plan`,
    )
    .action(async (opts: PlanOptions) => {
      const ctx = runContext(opts);
      const project = await loadProjectFor(opts, ctx);
      const state = await ctx.backend.read();
      await warnUnfinishedJournal(ctx);
      let plan: Plan;
      const mode = opts.refreshOnly ? 'refresh-only' : 'normal';
      const guesses = hasErrors(project.diagnostics) ? [] : refusedGuesses(project, state, opts, ctx);
      if (hasErrors(project.diagnostics) || guesses.length > 0) {
        // No system is contacted: the plan document carries the errors (JSON consumers get one too).
        const empty = emptyPlanFor(project, state, mode);
        plan = { ...empty, diagnostics: [...empty.diagnostics, ...guesses] };
      } else {
        const connections = await Connections.open({
          providers: project.providers.values(),
          stateDir: ctx.stateDir,
          readOnly: true,
          log: ctx.log,
          ...connectOptions(opts),
        });
        try {
          ({ plan } = await makePlan({
            project,
            state,
            connections,
            mode,
            targets: new Set(opts.target ?? []),
            replace: new Set(opts.replace ?? []),
            refresh: { mode: opts.refreshMode, concurrency: opts.refreshConcurrency },
            log: ctx.log,
          }));
        } finally {
          await connections.close();
        }
      }
      const failed = planBlocked(plan);
      const markdown = () => renderPlanMarkdown(plan, { context: planCommentContext(opts, ctx, project) });
      // Written first: a failing plan is exactly what a pull request needs to show.
      if (opts.outMarkdown) await writeFile(opts.outMarkdown, markdown(), { mode: 0o600 });
      if (opts.format === 'json') out(JSON.stringify(plan, null, 2));
      else if (opts.format === 'markdown') out(markdown());
      else if (!hasErrors(plan.diagnostics))
        out(renderPlanText(plan, { color: useColor(process.stdout, opts.color) }));
      if (opts.format !== 'markdown')
        printDiagnostics([...plan.diagnostics, ...findingsAsDiagnostics(plan.findings)]);
      if (failed) {
        if (!hasErrors(plan.diagnostics))
          err(
            'Policy findings of severity error block this plan: fix them, or add an exception with its reason to a kind: Policy manifest.',
          );
        setExit(1);
        return;
      }
      if (opts.out) {
        const key = planKeyFromEnv();
        await writePlanFile(opts.out, plan, { key });
        err(
          `Saved the plan to ${opts.out} (${key === undefined ? `checksummed, not signed: set ${PLAN_KEY_ENV} to sign it` : `signed with ${PLAN_KEY_ENV}`}). To apply exactly these changes: roster apply ${opts.out}`,
        );
      }
      setExit(opts.detailedExitcode && planHasChanges(plan) ? 2 : 0);
    });
}

/**
 * The comment's heading data and "To apply" line: `roster apply FILE` for a plan saved with `--out`
 * (exactly this plan), else the same manifests and workspace planned and applied again.
 */
function planCommentContext(opts: PlanOptions, ctx: RunContext, project: Project): CommentContext {
  const command = opts.out
    ? `roster apply ${shellWord(shownPath(opts.out, ctx.cwd))}`
    : reapplyCommand(opts, ctx.cwd, opts.refreshOnly === true);
  return commentContext({
    projectDir: project.projectDir,
    cwd: ctx.cwd,
    workspace: ctx.backend.workspace,
    env: process.env,
    apply: {
      command,
      savedPlan: opts.out !== undefined,
      ...(opts.applyNote ? { note: opts.applyNote } : {}),
    },
  });
}

/**
 * What roster refuses to plan on a guess: no state while the manifests declare resources (unless
 * `--allow-empty-state`), and `--target`/`--replace` addresses that nothing holds.
 */
function refusedGuesses(
  project: Project,
  state: StateDocument,
  opts: PlanOptions,
  ctx: RunContext,
): Diagnostic[] {
  const missing = missingStateDiagnostic({
    command: 'plan',
    state,
    declared: project.desired.length,
    location: ctx.backend.location,
    allowEmptyState: opts.allowEmptyState === true,
  });
  return [
    ...(missing ? [missing] : []),
    ...unknownAddressDiagnostics({
      options: [
        { flag: '--target', addresses: opts.target ?? [] },
        { flag: '--replace', addresses: opts.replace ?? [] },
      ],
      declared: project.desired.map((d) => d.address),
      state,
    }),
  ];
}

/**
 * Plan stays read-only: it only says that an apply died with operations in flight, which the next
 * `roster apply` reconciles (until then, an object such an operation made shows as an import). With
 * a team backend the journal read is the backend's, so a fresh checkout (a CI runner) warns too.
 */
async function warnUnfinishedJournal(ctx: RunContext): Promise<void> {
  const { entries } = await readRunJournal(journalPath(ctx.stateDir), ctx.backend);
  const addresses = unfinishedAddresses(entries);
  if (addresses.length === 0) return;
  const shown = addresses.slice(0, 5).join(', ');
  ctx.log.warn(
    `an earlier apply stopped with ${plural(addresses.length, 'operation')} unfinished (${shown}${addresses.length > 5 ? ', …' : ''}); roster apply will reconcile them from ${journalLocation(ctx)} before it plans`,
  );
}
