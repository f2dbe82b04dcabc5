import {
  DiagnosticsError,
  LockedError,
  renderVersionText,
  SerialConflictError,
  UserError,
} from '@roster/core';
import { Command, CommanderError } from 'commander';
import { applyCommand } from './commands/apply.js';
import { driftCommand } from './commands/drift.js';
import { exportCommand } from './commands/export.js';
import { fleetCommand } from './commands/fleet.js';
import { fmtCommand } from './commands/fmt.js';
import { importCommand } from './commands/import.js';
import { inventoryCommand } from './commands/inventory.js';
import { planCommand } from './commands/plan.js';
import { providersCommand } from './commands/providers.js';
import { reviewCommand } from './commands/review.js';
import { sandboxCommand } from './commands/sandbox.js';
import { schemaCommand } from './commands/schema.js';
import { showCommand } from './commands/show.js';
import { sodCommand } from './commands/sod.js';
import { forceUnlockCommand, stateCommand } from './commands/state.js';
import { testCommand } from './commands/test.js';
import { validateCommand } from './commands/validate.js';
import { versionCommand } from './commands/version.js';
import { workerCommand } from './commands/worker.js';
import { workspaceCommand } from './commands/workspace.js';
import { withDirectoryHint } from './directory-hint.js';
import { withLockTimeout } from './lock-timeout.js';
import { err, printDiagnostics, quietOnClosedPipe } from './output.js';
import { versionInfo } from './version.js';

/** Build the `roster` program; `setExit` receives each command's exit code. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('roster')
    .description('Service accounts of your business systems as code: plan, review, apply, detect drift.')
    // The same text as `roster version`: a bug report needs the providers' and Node's versions too.
    .version(renderVersionText(versionInfo()).trimEnd())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addHelpText(
    'after',
    `
Exit codes: 0 success/no changes · 1 error · 2 changes, drift or findings present · 3 manual steps pending · 130 interrupted · 143 stopped by SIGTERM

Examples:
  $ roster validate -f examples/quickstart
  $ roster plan -f examples/quickstart --allow-empty-state   # a first run: no state yet
  $ roster apply -f examples/quickstart --auto-approve
  $ roster drift -f examples/quickstart
  $ roster inventory -f examples/company --format csv > inventory.csv`,
  );
  for (const cmd of [
    withDirectoryHint(validateCommand(setExit)),
    fmtCommand(setExit),
    withDirectoryHint(planCommand(setExit)),
    withLockTimeout(applyCommand(setExit)),
    withDirectoryHint(driftCommand(setExit)),
    withDirectoryHint(sodCommand(setExit)),
    withDirectoryHint(inventoryCommand(setExit)),
    reviewCommand(setExit),
    withLockTimeout(importCommand(setExit)),
    exportCommand(setExit),
    withLockTimeout(testCommand(setExit)),
    fleetCommand(setExit),
    workerCommand(setExit),
    withLockingSubcommands(stateCommand(setExit)),
    workspaceCommand(setExit),
    forceUnlockCommand(setExit),
    providersCommand(setExit),
    sandboxCommand(setExit),
    showCommand(setExit),
    schemaCommand(setExit),
    versionCommand(setExit),
  ]) {
    program.addCommand(cmd);
  }
  // Sub-commands throw instead of exiting, so the one catch below decides the exit code.
  const override = (c: Command) => {
    c.exitOverride();
    for (const sub of c.commands) override(sub);
  };
  override(program);
  return program;
}

/** The `state` sub-commands that write state under the lock get `--lock-timeout` too. */
function withLockingSubcommands(state: Command): Command {
  for (const sub of state.commands) if (sub.name() === 'rm' || sub.name() === 'mv') withLockTimeout(sub);
  return state;
}

/** Run the CLI and return its exit code. The one place errors become exit codes. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    return exitCodeFor(e);
  }
}

function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) {
    // Help and version are successes; usage errors were already printed by commander.
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? 0 : 1;
  }
  if (e instanceof DiagnosticsError) {
    printDiagnostics(e.diagnostics);
    return 1;
  }
  if (e instanceof UserError) {
    err(`error: ${e.message}`);
    return e.exitCode;
  }
  if (e instanceof LockedError || e instanceof SerialConflictError) {
    err(`error: ${e.message}`);
    return 1;
  }
  const message = e instanceof Error ? e.message : String(e);
  err(`error: ${message}`);
  if (process.env.ROSTER_DEBUG && e instanceof Error && e.stack) err(e.stack);
  return 1;
}
