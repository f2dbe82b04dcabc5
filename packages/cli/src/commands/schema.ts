import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildProjectSchema, loadManifests, plural, providerInstances, UserError } from '@roster/core';
import { Command } from 'commander';
import { collect, recursiveOption } from '../context.js';
import { err, out, printDiagnostics } from '../output.js';
import { builtinProviders } from '../providers.js';

interface SchemaOptions {
  file?: string[];
  recursive?: boolean;
  out?: string;
}

/**
 * `roster schema`: the project schema, one JSON Schema that holds every document of the project's
 * manifests to its provider type's schema for its kind (for yaml-language-server's `yaml.schemas`).
 */
export function schemaCommand(setExit: (code: number) => void): Command {
  return new Command('schema')
    .description(
      "write this project's JSON Schema for editors: each document's spec checked against its provider's kind",
    )
    .option(
      '-f, --file <path>',
      'manifest file or directory (repeatable; default: the working directory)',
      collect,
    )
    .addOption(recursiveOption())
    .option('--out <file>', 'write the schema to FILE instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ roster schema -f manifests/ --out .roster-schema.json
  $ roster schema -f examples/company > company.schema.json`,
    )
    .action(async (opts: SchemaOptions) => {
      const cwd = process.cwd();
      const loaded = await loadManifests({
        paths: opts.file ?? [],
        cwd,
        ...(opts.recursive ? { recursive: true } : {}),
        providers: builtinProviders,
      });
      if (loaded.files.length === 0) {
        printDiagnostics(loaded.diagnostics);
        throw new UserError(`no manifest files found in ${(opts.file ?? ['.']).join(', ')}`);
      }
      const instances = providerInstances(loaded.documents);
      if (instances.size === 0) {
        throw new UserError(
          `no Provider document with a spec.type in ${plural(loaded.files.length, 'manifest file')}; the project schema maps provider names to their types`,
        );
      }
      const text = `${JSON.stringify(buildProjectSchema({ instances, providers: builtinProviders }), null, 2)}\n`;
      if (opts.out) {
        await writeFile(path.resolve(cwd, opts.out), text, 'utf8');
        err(`wrote ${opts.out} (providers: ${[...instances.keys()].sort().join(', ')})`);
      } else {
        out(text.trimEnd());
      }
      setExit(0);
    });
}
