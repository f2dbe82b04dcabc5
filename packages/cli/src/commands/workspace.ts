import {
  createWorkspace,
  deleteWorkspace,
  listWorkspaces,
  plural,
  requireWorkspace,
  UserError,
  type WorkspaceShowJson,
  workspaceListJson,
} from '@roster/core';
import { Command } from 'commander';
import { type CommonOptions, recursiveOption, stateContext } from '../context.js';
import { formatOption, type OutputFormat } from '../format-option.js';
import { withLockTimeout } from '../lock-timeout.js';
import { err, out, outJson } from '../output.js';
import { stateOptions } from './state.js';

/** The state options, and `-R`: a workspace command reads the project's manifests for its Backend document. */
const workspaceOptions = (cmd: Command) => stateOptions(cmd).addOption(recursiveOption());

/**
 * `roster workspace list|show|new|delete`: the named states of the backend (local `.roster/` or
 * PostgreSQL), as Terraform's `terraform workspace`. Selecting one is `--workspace` /
 * `ROSTER_WORKSPACE` / the Backend document, never a file left behind; `default` always exists.
 */
export function workspaceCommand(setExit: (code: number) => void): Command {
  const ws = new Command('workspace').description(
    'list, create and delete workspaces: separate states of one backend (default always exists)',
  );
  ws.addHelpText(
    'after',
    `
A workspace is selected with --workspace NAME or ROSTER_WORKSPACE=NAME (or the Backend document's
workspace); selecting one that does not exist is an error naming those that do.

Examples:
  $ roster workspace list                      # -f: the project (its Backend document, or .roster/)
  $ roster workspace new staging
  $ ROSTER_WORKSPACE=staging roster apply --auto-approve
  $ roster workspace delete staging            # refused while it holds resources (--force)`,
  );
  ws.addCommand(
    workspaceOptions(new Command('list'))
      .description('list the workspaces; the current one is marked *')
      .addOption(formatOption())
      .action(async (opts: CommonOptions & { format: OutputFormat }) => {
        const ctx = await stateContext(opts);
        const current = ctx.backend.workspace;
        const all = await listWorkspaces(ctx.backend.workspaces());
        if (opts.format === 'json') outJson(workspaceListJson(current, all));
        else out(all.map((w) => `${w === current ? '*' : ' '} ${w}`).join('\n'));
        if (!all.includes(current))
          throw new UserError(
            `the selected workspace ${current} does not exist; to create it: roster workspace new ${current}`,
          );
        setExit(0);
      }),
  );
  ws.addCommand(
    workspaceOptions(new Command('show'))
      .description('print the current workspace (an error when it does not exist)')
      .addOption(formatOption())
      .action(async (opts: CommonOptions & { format: OutputFormat }) => {
        const ctx = await stateContext(opts);
        await requireWorkspace(ctx.backend.workspaces());
        if (opts.format === 'json') outJson({ workspace: ctx.backend.workspace } satisfies WorkspaceShowJson);
        else out(ctx.backend.workspace);
        setExit(0);
      }),
  );
  ws.addCommand(
    workspaceOptions(new Command('new'))
      .description('create a workspace holding an empty state (a first run there is then explicit)')
      .argument('<name>', "lowercase letters, digits, '.', '_' and '-'")
      .action(async (name: string, opts: CommonOptions) => {
        const ctx = await stateContext(opts);
        const backend = ctx.backend.workspaces();
        await createWorkspace(backend, name);
        err(
          `Created workspace ${name} in ${backend.workspacesLocation}. Select it with --workspace ${name} or ROSTER_WORKSPACE=${name}.`,
        );
        setExit(0);
      }),
  );
  ws.addCommand(
    withLockTimeout(
      workspaceOptions(new Command('delete'))
        .description(
          'delete a workspace and its state (refused for default, the current one, and one holding resources unless --force)',
        )
        .argument('<name>')
        .option(
          '--force',
          'delete even though its state holds resources: roster forgets them, the systems keep them',
        )
        .action(async (name: string, opts: CommonOptions & { force?: boolean }) => {
          const ctx = await stateContext(opts);
          const backend = ctx.backend.workspaces();
          const forgotten = await deleteWorkspace({
            backend,
            name,
            current: ctx.backend.workspace,
            force: opts.force === true,
            ...(opts.lockTimeout !== undefined ? { lockTimeoutMs: opts.lockTimeout } : {}),
          });
          err(
            `Deleted workspace ${name} from ${backend.workspacesLocation}${forgotten > 0 ? `; roster forgot its ${plural(forgotten, 'resource')}, which stay in their systems` : ''}.`,
          );
          setExit(0);
        }),
    ),
  );
  return ws;
}
