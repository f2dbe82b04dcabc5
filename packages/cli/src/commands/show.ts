import path from 'node:path';
import {
  type CommentContext,
  DEFAULT_WORKSPACE,
  findingsAsDiagnostics,
  hasErrors,
  type Plan,
  planBlocked,
  readPlanFile,
  renderPlanMarkdown,
  renderPlanText,
} from '@roster/core';
import { Command, Option } from 'commander';
import { commentContext, shellWord, shownPath } from '../comment-context.js';
import { refuseDirectory } from '../directory-hint.js';
import { out, printDiagnostics, useColor } from '../output.js';

interface ShowOptions {
  format: 'text' | 'json' | 'markdown';
  color?: boolean;
  workspace?: string;
  applyNote?: string;
}

/**
 * `roster show PLANFILE`: a saved plan (the CI artifact) rendered again, as `roster plan` printed
 * it. The file is checked exactly as `roster apply FILE` checks it (format version, checksum, and
 * the signature when `ROSTER_PLAN_KEY` is set); no manifest, state or system is read.
 */
export function showCommand(setExit: (code: number) => void): Command {
  return new Command('show')
    .description('print a saved plan (roster plan --out FILE) again; contacts no system')
    .argument('<plan-file>', 'a plan saved with `roster plan --out FILE`')
    .addOption(
      new Option('--format <format>', 'output format on stdout')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .option('--no-color', 'plain output (also: NO_COLOR=1)')
    .option(
      '--workspace <name>',
      'the workspace the plan was made in, named in the Markdown heading (also ROSTER_WORKSPACE; default: default)',
    )
    .option(
      '--apply-note <text>',
      'the "To apply" sentence of the Markdown comment: what your pipeline does on merge',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ roster show plan.json                       # what roster apply plan.json would do
  $ roster show plan.json --format markdown     # a pull-request comment from the CI artifact
  $ ROSTER_PLAN_KEY=… roster show plan.json     # also verify its signature

Exit codes: 0 shown · 1 not a plan, altered, badly signed, or a plan that failed or is blocked by policy`,
    )
    .action(async (file: string, opts: ShowOptions) => {
      refuseDirectory(file, 'show');
      const plan = await readPlanFile(file);
      if (opts.format === 'json') out(JSON.stringify(plan, null, 2));
      else if (opts.format === 'markdown')
        out(renderPlanMarkdown(plan, { context: showCommentContext(file, plan, opts) }));
      else if (!hasErrors(plan.diagnostics))
        out(renderPlanText(plan, { color: useColor(process.stdout, opts.color) }));
      if (opts.format !== 'markdown')
        printDiagnostics([...plan.diagnostics, ...findingsAsDiagnostics(plan.findings)]);
      setExit(hasErrors(plan.diagnostics) || planBlocked(plan) ? 1 : 0);
    });
}

/**
 * The comment context of a saved plan. The plan names its manifest files (relative to where it was
 * made, normally the repository root in CI), so the project directory is the one holding them all;
 * the workspace is not in the plan, so it is what `--workspace`/`ROSTER_WORKSPACE` say.
 */
function showCommentContext(file: string, plan: Plan, opts: ShowOptions): CommentContext {
  const cwd = process.cwd();
  const dirs = plan.sources.map((s) => path.dirname(path.resolve(cwd, s)));
  const projectDir = dirs.length > 0 ? dirs.reduce(commonDirectory) : cwd;
  return commentContext({
    projectDir,
    cwd,
    workspace: opts.workspace ?? process.env.ROSTER_WORKSPACE ?? DEFAULT_WORKSPACE,
    env: process.env,
    apply: {
      command: `roster apply ${shellWord(shownPath(file, cwd))}`,
      savedPlan: true,
      ...(opts.applyNote ? { note: opts.applyNote } : {}),
    },
  });
}

/** The deepest directory containing both. */
function commonDirectory(a: string, b: string): string {
  let dir = a;
  while (path.relative(dir, b).startsWith('..')) dir = path.dirname(dir);
  return dir;
}
