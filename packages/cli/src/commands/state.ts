import {
  attributeProvenance,
  listAddresses,
  migrateState,
  moveResource,
  plural,
  removeResources,
  showResource,
  stateListJson,
  stateShowJson,
  UserError,
  withStateLock,
} from '@roster/core';
import { Command, Option } from 'commander';
import { type CommonOptions, stateContext } from '../context.js';
import { formatOption, type OutputFormat } from '../format-option.js';
import { err, out, outJson } from '../output.js';
import { backendFor } from '../state-backend.js';

export function stateOptions(cmd: Command): Command {
  return cmd
    .option(
      '-f, --file <path>',
      'the project: its kind: Backend document says where state is (its first directory holds .roster/)',
      (v, p: string[] = []) => [...p, v],
    )
    .option('--state-dir <dir>', 'where state lives (default: <project>/.roster)')
    .option(
      '--backend <url>',
      "state backend: local, or postgres://… (also ROSTER_BACKEND; else the project's kind: Backend document)",
    )
    .option('--workspace <name>', 'workspace of the state backend (also ROSTER_WORKSPACE; default: default)');
}

export function stateCommand(setExit: (code: number) => void): Command {
  const state = new Command('state').description('inspect and edit roster state (never touches any system)');
  state.addHelpText(
    'after',
    `
Examples:
  $ roster state list
  $ roster state show intacct-sandbox/ServiceAccount/invoice-portal
  $ roster state mv intacct-sandbox/Group/integrations intacct-sandbox/Group/all-integrations
  $ roster state rm intacct-sandbox/ServiceAccount/old-portal     # forget it; the system keeps it`,
  );
  state.addCommand(
    stateOptions(new Command('list'))
      .description('list the addresses in state')
      .argument('[filter]', 'only addresses containing this text')
      .addOption(formatOption())
      .addHelpText(
        'after',
        '\nExamples:\n  $ roster state list\n  $ roster state list ServiceAccount\n  $ roster state list --format json   # schemas/state-list.schema.json',
      )
      .action(async (filter: string | undefined, opts: CommonOptions & { format: OutputFormat }) => {
        const ctx = await stateContext(opts);
        const doc = await ctx.backend.read();
        const addresses = listAddresses(doc, filter);
        if (opts.format === 'json') outJson(stateListJson(doc, addresses));
        else if (addresses.length > 0) out(addresses.join('\n'));
        setExit(0);
      }),
  );
  state.addCommand(
    stateOptions(new Command('show'))
      .description('show what state holds for one address (sensitive values only as fingerprints)')
      .argument('<address>')
      // Its output has always been JSON; the option is accepted so scripts can pass it to every command.
      .addOption(new Option('--format <format>', 'output format on stdout').choices(['json']).default('json'))
      .addHelpText(
        'after',
        '\nExamples:\n  $ roster state show intacct-sandbox/ServiceAccount/invoice-portal   # schemas/state-show.schema.json',
      )
      .action(async (address: string, opts: CommonOptions) => {
        const ctx = await stateContext(opts);
        const doc = await ctx.backend.read();
        const resource = showResource(doc, address);
        outJson(stateShowJson(address, resource, attributeProvenance(resource)));
        setExit(0);
      }),
  );
  state.addCommand(
    stateOptions(new Command('rm'))
      .description('forget resources: roster stops managing them; the objects stay in the system')
      .argument('<address...>')
      .addHelpText('after', '\nExamples:\n  $ roster state rm intacct-sandbox/ServiceAccount/old-portal')
      .action(async (addresses: string[], opts: CommonOptions) => {
        const ctx = await stateContext(opts);
        await withStateLock(ctx.backend, 'state rm', async () => {
          const doc = await ctx.backend.read();
          const next = removeResources(doc, addresses);
          await ctx.backend.write(next, doc.serial);
        });
        err(`Removed ${plural(addresses.length, 'resource')} from state; nothing was changed in any system.`);
        setExit(0);
      }),
  );
  state.addCommand(
    stateOptions(new Command('mv'))
      .description('rename an address in state (after renaming metadata.name), without touching the system')
      .argument('<from>')
      .argument('<to>')
      .addHelpText(
        'after',
        '\nExamples:\n  $ roster state mv intacct-sandbox/Group/integrations intacct-sandbox/Group/all-integrations',
      )
      .action(async (from: string, to: string, opts: CommonOptions) => {
        const ctx = await stateContext(opts);
        await withStateLock(ctx.backend, 'state mv', async () => {
          const doc = await ctx.backend.read();
          const next = moveResource(doc, from, to);
          await ctx.backend.write(next, doc.serial);
        });
        err(`Moved ${from} to ${to} in state.`);
        setExit(0);
      }),
  );
  state.addCommand(
    stateOptions(new Command('migrate'))
      .description('copy the state to another backend (local ↔ PostgreSQL); refuses another lineage')
      .requiredOption(
        '--to <target>',
        'local, or postgres://… (the source is --backend / ROSTER_BACKEND / local)',
      )
      .option('--to-workspace <name>', 'workspace in the target (default: the source workspace, or default)')
      .addHelpText(
        'after',
        `
Examples:
  $ ROSTER_TO=postgres://roster@db:5432/roster roster state migrate --to "$ROSTER_TO" --to-workspace prod
  $ ROSTER_BACKEND=postgres://roster@db:5432/roster roster state migrate --workspace prod --to local`,
      )
      .action(async (opts: CommonOptions & { to: string; toWorkspace?: string }) => {
        const ctx = await stateContext(opts);
        const workspace = opts.toWorkspace ?? opts.workspace ?? process.env.ROSTER_WORKSPACE;
        const to = backendFor(opts.to, {
          stateDir: ctx.stateDir,
          logger: ctx.log,
          ...(opts.to !== 'local' && workspace !== undefined ? { workspace } : {}),
        });
        if (to.location === ctx.backend.location)
          throw new UserError(`the source and the target are the same (${to.location})`);
        const r = await migrateState({ from: ctx.backend, to });
        err(
          r.unchanged
            ? `${to.location} already holds this state (lineage ${r.lineage}, ${plural(r.resources, 'resource')}); nothing written.`
            : `Copied ${plural(r.resources, 'resource')} of lineage ${r.lineage} from ${ctx.backend.location} to ${to.location} (serial ${r.serial}). Plans saved before must be made again.`,
        );
        setExit(0);
      }),
  );
  return state;
}

export function forceUnlockCommand(setExit: (code: number) => void): Command {
  return stateOptions(new Command('force-unlock'))
    .description('remove the state lock left by a run that died (check that no run is still going!)')
    .argument('[lock-id]', 'the lock id printed by the blocked run (refuses if another lock is held)')
    .addHelpText('after', '\nExamples:\n  $ roster force-unlock 2f1c…')
    .action(async (lockId: string | undefined, opts: CommonOptions) => {
      const ctx = await stateContext(opts);
      const removed = await ctx.backend.forceUnlock(lockId);
      if (removed) {
        err(
          `Removed the lock ${removed.id} held by pid ${removed.pid} on ${removed.host} since ${removed.createdAt}.`,
        );
      } else err('The state was not locked.');
      setExit(0);
    });
}
