import { statSync } from 'node:fs';
import { UserError } from '@roster/core';
import type { Command } from 'commander';

/** What each command does with the manifests of a directory, for the hint. */
const DOES: Record<string, string> = {
  apply: 'plan and apply',
  plan: 'plan',
  validate: 'validate',
  drift: 'check the drift of',
  inventory: 'inventory the systems of',
  show: 'plan',
};

/** The command that does it: `show` takes a saved plan, so a directory is planned instead. */
const RUN: Record<string, string> = { show: 'plan' };

/**
 * The hint for a directory given where a file or nothing was expected (`roster apply
 * examples/quickstart`, `roster plan examples/quickstart`): the habit of `terraform apply DIR`
 * and `kubectl apply DIR`, which roster spells `-f DIR`. Undefined when `arg` is not a directory.
 */
export function directoryHint(arg: string, command: string): string | undefined {
  let isDirectory = false;
  try {
    isDirectory = statSync(arg).isDirectory();
  } catch {
    return undefined;
  }
  if (!isDirectory || !(command in DOES)) return undefined;
  return `${arg} is a directory: to ${DOES[command]} the manifests in it, run roster ${RUN[command] ?? command} -f ${arg}`;
}

/** Refuse a directory given as a file argument, with the hint (exit 1, one line). */
export function refuseDirectory(arg: string, command: string): void {
  const hint = directoryHint(arg, command);
  if (hint !== undefined) throw new UserError(hint);
}

/**
 * Let a command that takes no arguments (validate, plan, drift) see the one it was given, so a
 * directory gets the `-f` hint; any other extra argument is commander's usual usage error.
 */
export function withDirectoryHint(cmd: Command): Command {
  cmd.allowExcessArguments(true);
  cmd.hook('preAction', (c) => {
    if (c.args.length === 0) return;
    if (c.args.length === 1) refuseDirectory(c.args[0] as string, c.name());
    c.error(`error: too many arguments for '${c.name()}'. Expected 0 arguments but got ${c.args.length}.`, {
      code: 'commander.excessArguments',
    });
  });
  return cmd;
}
