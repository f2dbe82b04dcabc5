import { fmtJson, formatManifestFiles, hasErrors } from '@roster/core';
import { Command } from 'commander';
import { fileOption, recursiveOption } from '../context.js';
import { formatOption, type OutputFormat } from '../format-option.js';
import { out, outJson, printDiagnostics } from '../output.js';

interface FmtOptions {
  file?: string[];
  recursive?: boolean;
  check?: boolean;
  format: OutputFormat;
}

export function fmtCommand(setExit: (code: number) => void): Command {
  return new Command('fmt')
    .description('write manifests in the canonical layout, keeping comments (values never change)')
    .addOption(fileOption())
    .addOption(recursiveOption())
    .option('--check', 'write nothing; list the files not formatted and exit 2 if there are any')
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExit codes: 0 formatted (or, with --check, already formatted) · 1 a file cannot be read or parsed · 2 --check found files to format\n\nExamples:\n  $ roster fmt -f examples/quickstart\n  $ roster fmt -R --check   # in CI\n  $ roster fmt --check --format json   # schemas/fmt.schema.json',
    )
    .action(async (opts: FmtOptions) => {
      const run = await formatManifestFiles(opts.file ?? [], process.cwd(), {
        ...(opts.recursive ? { recursive: true } : {}),
        ...(opts.check ? { check: true } : {}),
      });
      printDiagnostics(run.diagnostics);
      if (opts.format === 'json') outJson(fmtJson(run, opts.check === true));
      else for (const file of run.changed) out(file);
      if (hasErrors(run.diagnostics)) {
        setExit(1);
        return;
      }
      setExit(opts.check && run.changed.length > 0 ? 2 : 0);
    });
}
