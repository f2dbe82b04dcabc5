import {
  findingsAsDiagnostics,
  hasErrors,
  planBlocked,
  readPlanFile,
  renderPlanMarkdown,
  renderPlanText,
} from '@roster/core';
import { Command, Option } from 'commander';
import { refuseDirectory } from '../directory-hint.js';
import { out, printDiagnostics, useColor } from '../output.js';

interface ShowOptions {
  format: 'text' | 'json' | 'markdown';
  color?: boolean;
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
      else if (opts.format === 'markdown') out(renderPlanMarkdown(plan));
      else if (!hasErrors(plan.diagnostics))
        out(renderPlanText(plan, { color: useColor(process.stdout, opts.color) }));
      if (opts.format !== 'markdown')
        printDiagnostics([...plan.diagnostics, ...findingsAsDiagnostics(plan.findings)]);
      setExit(hasErrors(plan.diagnostics) || planBlocked(plan) ? 1 : 0);
    });
}
