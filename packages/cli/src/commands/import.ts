import { userInfo } from 'node:os';
import { importJson, importObject, importTarget } from '@roster/core';
import { Command } from 'commander';
import { withConnections } from '../connections.js';
import { type CommonOptions, loadValidProjectFor, runContext, withCommonOptions } from '../context.js';
import { formatOption, type OutputFormat } from '../format-option.js';
import { err, outJson } from '../output.js';

export function importCommand(setExit: (code: number) => void): Command {
  return withCommonOptions(new Command('import'))
    .description(
      'adopt an object that already exists in the system as a resource of the manifests (records state; never writes to the system)',
    )
    .argument(
      '<address>',
      'the resource in the manifests, e.g. intacct-sandbox/ServiceAccount/invoice-portal',
    )
    .argument(
      '<id>',
      "the object's id in the system (as `roster state show` would list it, e.g. an Intacct key)",
    )
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
Text goes to stderr; --format json prints what was adopted on stdout (schemas/import.schema.json).

Examples:
  $ roster import intacct-sandbox/ServiceAccount/invoice-portal 42
  $ roster plan        # shows what differs between the manifest and the adopted object`,
    )
    .action(async (address: string, id: string, opts: CommonOptions & { format: OutputFormat }) => {
      const ctx = runContext(opts);
      const project = await loadValidProjectFor(opts, ctx, setExit);
      if (!project) return;
      const target = importTarget(project, address);
      await withConnections(
        ctx,
        opts,
        { providers: [target.configured], readOnly: true },
        async (connections) => {
          const result = await importObject({
            target,
            id,
            connection: connections.byName.get(target.configured.name)!,
            backend: ctx.backend,
            log: ctx.log,
            actor: process.env.ROSTER_ACTOR || safeUser(),
          });
          if (opts.format === 'json') outJson(importJson(target.desired.kind, result));
          err(
            `Imported ${result.address}: ${target.desired.kind} ${result.naturalKey} (id ${result.id}). Nothing was changed in the system.`,
          );
          if (result.differing.length > 0)
            err(`  differs from the manifest: ${result.differing.join(', ')} (the next plan updates them)`);
          if (result.unverifiable.length > 0)
            err(
              `  not readable from the system: ${result.unverifiable.join(', ')} (the next plan asks a person to confirm them)`,
            );
          err('Run roster plan to see what, if anything, still differs.');
        },
      );
      setExit(0);
    });
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
