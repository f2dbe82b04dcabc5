import { Connections, renderAccountTests, testAccounts } from '@roster/core';
import { Command, Option } from 'commander';
import { type CommonOptions, loadProjectFor, runContext, withCommonOptions } from '../context.js';
import { out, printDiagnostics } from '../output.js';

interface TestOptions extends CommonOptions {
  format: 'text' | 'json';
}

export function testCommand(setExit: (code: number) => void): Command {
  return withCommonOptions(new Command('test'))
    .description(
      'sign in as each account (e.g. ServiceAccount) with its own credentials and read what it needs',
    )
    .argument('[address...]', 'only these accounts (default: every account in the manifests)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ roster test -f examples/company\n  $ roster test autotask-prod/ServiceAccount/office-protect --format json\n\nExit code 1 when any account cannot sign in or read what it needs.',
    )
    .action(async (addresses: string[], opts: TestOptions) => {
      const ctx = runContext(opts);
      const project = await loadProjectFor(opts, ctx);
      printDiagnostics(project.diagnostics);
      if (project.diagnostics.some((d) => d.severity === 'error')) {
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
        const rows = await testAccounts({ project, state, connections, addresses });
        out(opts.format === 'json' ? JSON.stringify(rows, null, 2) : renderAccountTests(rows));
        setExit(rows.some((r) => r.status === 'fail') ? 1 : 0);
      } finally {
        await connections.close();
      }
    });
}
