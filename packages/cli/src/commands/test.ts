import {
  LockedError,
  plural,
  renderAccountTests,
  type SignIn,
  type StateBackend,
  saveSignIns,
  signInsOf,
  testAccounts,
  UserError,
} from '@roster/core';
import { Command, Option } from 'commander';
import { withConnections } from '../connections.js';
import { type CommonOptions, loadProjectFor, runContext, withCommonOptions } from '../context.js';
import { err, out, printDiagnostics } from '../output.js';

/**
 * TEST HOOK: the time `roster test` records as an account's last sign-in (ISO 8601) instead of now,
 * so a test can make an account look unused for months without waiting for them.
 */
export const SIGNED_IN_AT_HOOK_ENV = 'ROSTER_TEST_SIGNED_IN_AT';

interface TestOptions extends CommonOptions {
  format: 'text' | 'json';
}

export function testCommand(setExit: (code: number) => void): Command {
  return withCommonOptions(new Command('test'))
    .description(
      'sign in as each account (e.g. ServiceAccount) with its own credentials and read what it needs',
    )
    .argument('[address...]', 'only these accounts (default: every account in the manifests)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      "\nExamples:\n  $ roster test -f examples/company\n  $ roster test autotask-prod/ServiceAccount/office-protect --format json\n\nA successful sign-in is recorded in state as the account's lastSignInAt (roster state show).\nExit code 1 when any account cannot sign in or read what it needs.",
    )
    .action(async (addresses: string[], opts: TestOptions) => {
      const ctx = runContext(opts);
      const project = await loadProjectFor(opts, ctx);
      printDiagnostics(project.diagnostics);
      if (project.diagnostics.some((d) => d.severity === 'error')) {
        setExit(1);
        return;
      }
      const state = await ctx.backend.read();
      await withConnections(
        ctx,
        opts,
        { providers: project.providers.values(), readOnly: true },
        async (connections) => {
          const rows = await testAccounts({ project, state, connections, addresses });
          out(opts.format === 'json' ? JSON.stringify(rows, null, 2) : renderAccountTests(rows));
          setExit(rows.some((r) => r.status === 'fail') ? 1 : 0);
          await recordSignIns(ctx.backend, signInsOf(rows, state));
        },
      );
    });
}

/**
 * Record the successful sign-ins in state. Another run holding the state lock does not fail the
 * test (its results stand): the sign-ins are then not recorded, and stderr says so.
 */
async function recordSignIns(backend: StateBackend, signIns: readonly SignIn[]): Promise<void> {
  if (signIns.length === 0) return;
  try {
    const n = await saveSignIns(backend, signIns, signedInAt());
    if (n > 0) err(`Recorded the sign-in of ${plural(n, 'account')} in state (lastSignInAt).`);
  } catch (e) {
    if (!(e instanceof LockedError)) throw e;
    err(
      `warning: the sign-ins were not recorded in state: ${e.message}. Run roster test again once it is released, or with --lock-timeout.`,
    );
  }
}

function signedInAt(): string {
  const hook = process.env[SIGNED_IN_AT_HOOK_ENV];
  if (hook === undefined || hook === '') return new Date().toISOString();
  const t = Date.parse(hook);
  if (Number.isNaN(t)) throw new UserError(`${SIGNED_IN_AT_HOOK_ENV}=${hook} is not an ISO 8601 time`);
  return new Date(t).toISOString();
}
