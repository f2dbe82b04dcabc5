import {
  buildDriftReport,
  type DriftClasses,
  detectUnmanaged,
  driftFound,
  driftJson,
  hasErrors,
  loadDriftBaseline,
  makePlan,
  renderDriftMarkdown,
  renderDriftText,
} from '@roster/core';
import { Command, Option } from 'commander';
import { commentContext, reapplyCommand } from '../comment-context.js';
import { withConnections } from '../connections.js';
import {
  type CommonOptions,
  loadValidProjectFor,
  readReportState,
  runContext,
  withAllowEmptyStateOption,
  withApiBudgetOption,
  withCommonOptions,
} from '../context.js';
import { out, printDiagnostics, useColor } from '../output.js';

interface DriftOptions extends CommonOptions {
  format: 'text' | 'json' | 'markdown';
  /** Commander's negatable options: true unless `--no-changed` etc. */
  changed: boolean;
  deleted: boolean;
  unmanaged: boolean;
  ignoreFile?: string;
  allowEmptyState?: boolean;
}

export function driftCommand(setExit: (code: number) => void): Command {
  return withAllowEmptyStateOption(withApiBudgetOption(withCommonOptions(new Command('drift'))))
    .description(
      'report attributes changed and objects deleted outside roster since the last apply, and unmanaged objects (exit 2 when any)',
    )
    .addOption(
      new Option('--format <format>', 'output format on stdout')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .option('--no-changed', 'do not report attributes changed outside roster')
    .option('--no-deleted', 'do not report objects deleted outside roster')
    .option(
      '--no-unmanaged',
      'do not look for objects in no manifest (and do not list the kinds nothing declares)',
    )
    .option(
      '--ignore-file <path>',
      'baseline of accepted drift (default: .rosterignore in the project directory)',
    )
    .addHelpText(
      'after',
      `
Baseline (.rosterignore): one pattern a line, # comments, * matches anything:
  [changed:|deleted:|unmanaged:]ADDRESS [ATTRIBUTE]
  intacct-prod/ServiceAccount/bi-export adminPrivileges   # accept this attribute's drift only
  unmanaged:intacct-prod/ServiceAccount/WS_LEGACY_*       # accept these hand-made users

No state while the manifests declare resources is exit 1, never "No drift": a removed state file
or a mistyped --state-dir or workspace must fail a nightly job. --allow-empty-state accepts it.

Examples:
  $ roster drift -f examples/quickstart
  $ roster drift --format markdown --no-unmanaged > drift.md
  $ roster drift --format json > drift.json; test $? -ne 1   # 0 none, 2 drift found`,
    )
    .action(async (opts: DriftOptions) => {
      const ctx = runContext(opts);
      const project = await loadValidProjectFor(opts, ctx, setExit);
      if (!project) return;
      // Read the baseline before any system is contacted: a malformed line fails fast.
      const baseline = loadDriftBaseline({
        cwd: ctx.cwd,
        projectDir: project.projectDir,
        ...(opts.ignoreFile ? { ignoreFile: opts.ignoreFile } : {}),
      });
      const classes: DriftClasses = {
        changed: opts.changed,
        deleted: opts.deleted,
        unmanaged: opts.unmanaged,
      };
      const state = await readReportState('drift', ctx, project, opts);
      await withConnections(
        ctx,
        opts,
        { providers: project.providers.values(), readOnly: true },
        async (connections) => {
          const { plan, remote } = await makePlan({
            project,
            state,
            connections,
            mode: 'refresh-only',
            listAllKinds: classes.unmanaged,
            log: ctx.log,
          });
          const unmanaged = classes.unmanaged
            ? detectUnmanaged({ state, desired: project.desired, remote, kindOf: project.kindOf })
            : [];
          const report = buildDriftReport({ plan, unmanaged, classes, ...(baseline ? { baseline } : {}) });
          if (opts.format === 'json') out(JSON.stringify(driftJson(report), null, 2));
          else if (opts.format === 'markdown')
            out(
              renderDriftMarkdown(report, {
                context: commentContext({
                  projectDir: project.projectDir,
                  cwd: ctx.cwd,
                  workspace: ctx.backend.workspace,
                  env: process.env,
                  apply: { command: reapplyCommand(opts, ctx.cwd), savedPlan: false },
                }),
              }),
            );
          else out(renderDriftText(report, { color: useColor(process.stdout, opts.color) }));
          printDiagnostics(report.diagnostics);
          setExit(hasErrors(report.diagnostics) ? 1 : driftFound(report) ? 2 : 0);
        },
      );
    });
}
