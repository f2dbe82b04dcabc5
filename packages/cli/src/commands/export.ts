import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  Connections,
  DiagnosticsError,
  type ExportJson,
  exportFiles,
  exportJson,
  hasErrors,
  manifestsYaml,
  plural,
  providerToExport,
  readForExport,
  UserError,
} from '@roster/core';
import { Command } from 'commander';
import { type CommonOptions, loadProjectFor, runContext, withCommonOptions } from '../context.js';
import { formatOption, type OutputFormat } from '../format-option.js';
import { err, out, outJson } from '../output.js';

interface ExportOptions extends CommonOptions {
  provider: string;
  kind?: string;
  out?: string;
  force?: boolean;
  format: OutputFormat;
}

export function exportCommand(setExit: (code: number) => void): Command {
  return withCommonOptions(new Command('export'))
    .description(
      'write manifests for every object a system has (reads only): the starting point for adopting existing accounts',
    )
    .requiredOption('--provider <name>', 'the Provider document (metadata.name) whose system to read')
    .option('--kind <kind>', 'only this kind (e.g. ServiceAccount)')
    .option(
      '--out <dir>',
      'write one file per kind (<provider>-<kind>.yaml) in this directory instead of stdout',
    )
    .option('--force', 'overwrite files that already exist in --out')
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
Kinds the system cannot read, objects roster cannot manage (e.g. interactive users) and objects
whose manifest would not validate are left out, each with a note on stderr. Credentials are never
exported. Then \`roster plan\` shows only imports, and \`roster apply\` adopts them (no write).
With --out, --format json prints what was written (schemas/export.schema.json).

Examples:
  $ roster export --provider intacct-sandbox > existing.yaml
  $ roster export --provider intacct-sandbox --kind SecurityLevel --out manifests/
  $ roster export --provider intacct-sandbox --out . && roster plan`,
    )
    .action(async (opts: ExportOptions) => {
      // Without --out the manifests themselves are the output (YAML); JSON describes files written.
      if (opts.format === 'json' && !opts.out)
        throw new UserError(
          '--format json describes the files written: add --out DIR (without --out, the manifests go to stdout as YAML)',
        );
      const ctx = runContext(opts);
      const project = await loadProjectFor(opts, ctx);
      const configured = providerToExport(project, opts.provider);
      // An endpoint outside the Policy allow-list is never contacted, whatever else is wrong.
      const refused = project.diagnostics.filter(
        (d) => d.code === 'policy.endpoint' && d.address === configured.document.address,
      );
      if (refused.length > 0) throw new DiagnosticsError(refused);
      if (hasErrors(project.diagnostics)) {
        const n = project.diagnostics.filter((d) => d.severity === 'error').length;
        err(
          `note: the manifests have ${plural(n, 'error')} (roster validate lists them); exporting from Provider ${configured.name} anyway`,
        );
      }
      const connections = await Connections.open({
        providers: [configured],
        stateDir: ctx.stateDir,
        readOnly: true,
        log: ctx.log,
      });
      let result: Awaited<ReturnType<typeof readForExport>>;
      try {
        const connection = connections.byName.get(configured.name)!;
        result = await readForExport({
          configured,
          connection,
          ...(opts.kind !== undefined ? { kind: opts.kind } : {}),
        });
      } finally {
        await connections.close();
      }
      for (const note of result.notes) err(`note: ${note.message}`);
      const todo = result.manifests.filter((m) => m.placeholders.length > 0).length;
      if (!opts.out) {
        if (result.manifests.length > 0)
          out(manifestsYaml(configured.name, result.manifests, configured.provider));
      } else {
        const dir = path.resolve(ctx.cwd, opts.out);
        const files = exportFiles(configured.name, result.manifests, configured.provider);
        const taken = files.map((f) => path.join(dir, f.file)).filter((f) => existsSync(f));
        if (taken.length > 0 && !opts.force)
          throw new UserError(
            `${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}; nothing was written (--force overwrites)`,
          );
        await mkdir(dir, { recursive: true });
        const written: ExportJson['files'] = [];
        for (const f of files) {
          await writeFile(path.join(dir, f.file), f.text, 'utf8');
          const shown = path.relative(ctx.cwd, path.join(dir, f.file));
          written.push({ path: shown, kind: f.kind, count: f.count });
          err(`Wrote ${plural(f.count, `${f.kind} manifest`)} to ${shown}`);
        }
        if (opts.format === 'json')
          outJson(
            exportJson({
              provider: configured.name,
              ...(opts.kind !== undefined ? { kind: opts.kind } : {}),
              files: written,
              manifests: result.manifests,
              notes: result.notes,
            }),
          );
      }
      err(
        `Exported ${plural(result.manifests.length, 'object')} from ${configured.name}${
          todo > 0 ? `; ${todo} need values the system cannot report: fill in what is marked TODO` : ''
        }. Next: roster plan (shows only imports), then roster apply to adopt them (no write).`,
      );
      setExit(0);
    });
}
