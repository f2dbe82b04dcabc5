import { buildSodReport, hasErrors, makePlan, renderSodText, sodConflictsFound } from '@roster/core';
import { Command, Option } from 'commander';
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

interface SodOptions extends CommonOptions {
  format: 'text' | 'json';
  allowEmptyState?: boolean;
}

export function sodCommand(setExit: (code: number) => void): Command {
  return withAllowEmptyStateOption(withApiBudgetOption(withCommonOptions(new Command('sod'))))
    .description(
      'report the segregation-of-duties conflicts the accounts and connections hold now, across the whole project (exit 2 when any)',
    )
    .addOption(
      new Option('--format <format>', 'output format on stdout').choices(['text', 'json']).default('text'),
    )
    .addHelpText(
      'after',
      `
The systems are read (refresh) and each account's effective permissions, through its roles, groups
and the accounts its connections sign in as, are checked against the SoD packs the providers ship
(policy rule sod.<pack>, e.g. sod.finance). A Policy document sets a pack's severity, turns
it off, or excepts an address with a reason (excepted conflicts are listed, not counted).

Exit codes: 0 no conflict, 2 conflicts found, 1 an error (manifests, state, a system).

Examples:
  $ roster sod -f examples/governance
  $ roster sod --format json > sod.json; test $? -ne 1`,
    )
    .action(async (opts: SodOptions) => {
      const ctx = runContext(opts);
      const project = await loadValidProjectFor(opts, ctx, setExit);
      if (!project) return;
      const state = await readReportState('sod', ctx, project, opts);
      await withConnections(
        ctx,
        opts,
        { providers: project.providers.values(), readOnly: true },
        async (connections) => {
          const { plan } = await makePlan({ project, state, connections, mode: 'normal', log: ctx.log });
          const report = buildSodReport({ project, plan });
          if (opts.format === 'json') out(JSON.stringify(report, null, 2));
          else out(renderSodText(report, { color: useColor(process.stdout, opts.color) }));
          printDiagnostics(report.diagnostics);
          setExit(hasErrors(report.diagnostics) ? 1 : sodConflictsFound(report) ? 2 : 0);
        },
      );
    });
}
