import { hasErrors } from '@roster/core';
import { Command } from 'commander';
import { type CommonOptions, loadProjectFor, runContext, withCommonOptions } from '../context.js';
import { out, printDiagnostics } from '../output.js';

export function validateCommand(setExit: (code: number) => void): Command {
  return withCommonOptions(new Command('validate'))
    .description('check manifests (syntax, schemas, references, rules) without contacting any system')
    .addHelpText(
      'after',
      '\nExamples:\n  $ roster validate -f examples/quickstart\n  $ roster validate -f team-a/ -f team-b/',
    )
    .action(async (opts: CommonOptions) => {
      const ctx = runContext(opts);
      const project = await loadProjectFor(opts, ctx);
      printDiagnostics(project.diagnostics);
      if (hasErrors(project.diagnostics)) {
        setExit(1);
        return;
      }
      const n = project.desired.length;
      out(
        `The manifests are valid: ${project.files.length} file(s), ${project.providers.size} provider(s), ${n} resource${n === 1 ? '' : 's'}.`,
      );
      setExit(0);
    });
}
