import { Connections, hasErrors, makePlan, renderDriftMarkdown, renderDriftText } from '@roster/core';
import { Command, Option } from 'commander';
import { type CommonOptions, loadProjectFor, runContext, withCommonOptions } from '../context.js';
import { out, printDiagnostics, useColor } from '../output.js';

interface DriftOptions extends CommonOptions {
  format: 'text' | 'json' | 'markdown';
}

export function driftCommand(setExit: (code: number) => void): Command {
  return withCommonOptions(new Command('drift'))
    .description('report every attribute changed outside roster since the last apply (exit 2 when any)')
    .addOption(
      new Option('--format <format>', 'output format on stdout')
        .choices(['text', 'json', 'markdown'])
        .default('text'),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ roster drift -f examples/quickstart
  $ roster drift --format json > drift.json; test $? -ne 1   # 0 none, 2 drift found`,
    )
    .action(async (opts: DriftOptions) => {
      const ctx = runContext(opts);
      const project = await loadProjectFor(opts, ctx);
      if (hasErrors(project.diagnostics)) {
        printDiagnostics(project.diagnostics);
        setExit(1);
        return;
      }
      const state = await ctx.backend.read();
      const connections = await Connections.open({
        providers: project.providers.values(),
        stateDir: ctx.stateDir,
        readOnly: true,
        log: ctx.log,
      });
      try {
        const { plan } = await makePlan({ project, state, connections, mode: 'refresh-only', log: ctx.log });
        if (opts.format === 'json') {
          out(
            JSON.stringify(
              {
                formatVersion: plan.formatVersion,
                lineage: plan.lineage,
                serial: plan.serial,
                createdAt: plan.createdAt,
                drift: plan.drift,
                diagnostics: plan.diagnostics,
                stats: plan.stats,
              },
              null,
              2,
            ),
          );
        } else if (opts.format === 'markdown') out(renderDriftMarkdown(plan));
        else out(renderDriftText(plan, { color: useColor(process.stdout, opts.color) }));
        printDiagnostics(plan.diagnostics);
        setExit(hasErrors(plan.diagnostics) ? 1 : plan.drift.length > 0 ? 2 : 0);
      } finally {
        await connections.close();
      }
    });
}
