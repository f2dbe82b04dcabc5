import { hasErrors, plural, validateJson } from '@roster/core';
import { Command } from 'commander';
import { type CommonOptions, loadProjectFor, runContext, withCommonOptions } from '../context.js';
import { formatOption, type OutputFormat } from '../format-option.js';
import { out, outJson, printDiagnostics } from '../output.js';

export function validateCommand(setExit: (code: number) => void): Command {
  return withCommonOptions(new Command('validate'))
    .description('check manifests (syntax, schemas, references, rules) without contacting any system')
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ roster validate -f examples/quickstart\n  $ roster validate -f team-a/ -f team-b/\n  $ roster validate --format json   # schemas/validate.schema.json',
    )
    .action(async (opts: CommonOptions & { format: OutputFormat }) => {
      const ctx = runContext(opts);
      const project = await loadProjectFor(opts, ctx);
      printDiagnostics(project.diagnostics);
      const failed = hasErrors(project.diagnostics);
      setExit(failed ? 1 : 0);
      if (opts.format === 'json') {
        outJson(
          validateJson({
            files: project.files,
            providers: project.providers.keys(),
            resources: project.desired.map((d) => d.address),
            diagnostics: project.diagnostics,
          }),
        );
        return;
      }
      if (failed) return;
      const n = project.desired.length;
      out(
        `The manifests are valid: ${plural(project.files.length, 'file')}, ${plural(project.providers.size, 'provider')}, ${plural(n, 'resource')}.`,
      );
    });
}
