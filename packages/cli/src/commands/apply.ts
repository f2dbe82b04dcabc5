import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import {
  type ApplyIO,
  type ApplyOutcome,
  applyDocument,
  applyProject,
  projectDirOf,
  renderExecuteEvent,
  renderPlanText,
  UserError,
} from '@roster/core';
import { Command } from 'commander';
import { actorName } from '../actor.js';
import {
  type CommonOptions,
  collect,
  loadProjectFor,
  runContext,
  withApiBudgetOption,
  withCommonOptions,
} from '../context.js';
import { refuseDirectory } from '../directory-hint.js';
import { formatOption } from '../format-option.js';
import { crashPointFromEnv } from '../kill-hook.js';
import { out, printDiagnostics, useColor } from '../output.js';
import { builtinProviders, builtinSandboxes } from '../providers.js';
import { handleStopSignals } from '../stop-signals.js';
import { TerminalOperator } from '../terminal-operator.js';
import { type StderrLines, stderrLines } from '../terminal-progress.js';

interface ApplyOptions extends CommonOptions {
  autoApprove?: boolean;
  replace?: string[];
  target?: string[];
  refreshOnly?: boolean;
  concurrency: number;
  sandboxOperator?: boolean;
  confirm?: string[];
  secretDir?: string[];
  format: 'text' | 'json';
}

export function applyCommand(setExit: (code: number) => void): Command {
  return withApiBudgetOption(withCommonOptions(new Command('apply')))
    .description('make the systems match the manifests, or apply a saved plan exactly')
    .argument('[plan-file]', 'a plan saved with `roster plan --out FILE`')
    .option('--auto-approve', 'do not ask for confirmation (required without a terminal)')
    .option(
      '--replace <addr>',
      'replace this resource even if nothing changed, or allow a replacement a change requires (repeatable)',
      collect,
    )
    .option('--target <addr>', 'apply only this resource and what it depends on (repeatable)', collect)
    .option(
      '--refresh-only',
      'record what the systems have now in state (accept drift); changes nothing remote',
    )
    .option('--concurrency <n>', 'operations in flight per provider', (v) => Number.parseInt(v, 10), 8)
    .option(
      '--sandbox-operator',
      'perform manual steps through the sandbox simulators (only when every manual step is on a sandbox)',
    )
    .option(
      '--secret-dir <dir>',
      'a directory outside the project where secrets shown once may be stored (repeatable)',
      collect,
    )
    .option(
      '--confirm <addr>',
      "you did this resource's manual step (from .roster/runbook.md): roster verifies and records it (repeatable)",
      collect,
    )
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
Examples:
  $ roster apply -f examples/quickstart            # plan, show, ask, apply
  $ roster apply -f examples/quickstart --auto-approve
  $ roster plan --out plan.json && roster apply plan.json
  $ roster apply -f examples/autotask --auto-approve --sandbox-operator
  $ roster apply --auto-approve --confirm autotask-prod/SecurityLevel/alerts-api
  $ roster apply -f examples/quickstart --auto-approve --format json

Manual steps (what a system lets only its UI do): on a terminal, apply prints each step and
waits for you; without one it does every API step it can, writes .roster/runbook.md and exits 3.`,
    )
    .action(async (file: string | undefined, opts: ApplyOptions) => {
      if (file !== undefined) refuseDirectory(file, 'apply');
      const controller = new AbortController();
      const stopOnSignals = handleStopSignals(controller);
      const stderr = stderrLines();
      try {
        const outcome = await runApply(file, opts, controller.signal, stderr);
        stderr.done();
        if (opts.format === 'json') out(JSON.stringify(applyDocument(outcome), null, 2));
        else for (const line of outcome.summary) out(line);
        setExit(outcome.exitCode);
      } finally {
        stderr.done();
        stopOnSignals();
      }
    });
}

function runApply(
  file: string | undefined,
  opts: ApplyOptions,
  signal: AbortSignal,
  stderr: StderrLines,
): Promise<ApplyOutcome> {
  const ctx = runContext(opts);
  const color = useColor(process.stdout, opts.color);
  const crashPoint = crashPointFromEnv(process.env);
  const onTerminal = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const io: ApplyIO = {
    showPlan: (plan) => {
      stderr.done();
      if (opts.format !== 'json') out(renderPlanText(plan, { color }));
    },
    diagnostics: (ds) => {
      stderr.done();
      printDiagnostics(ds);
    },
    message: stderr.line,
    confirm: () => confirm(onTerminal),
  };
  return applyProject({
    ...(file !== undefined ? { planFile: file } : {}),
    // With a plan file, manifests are optional: only read for sensitive values the plan masks.
    ...(file === undefined || opts.file ? { loadProject: () => loadProjectFor(opts, ctx) } : {}),
    providers: builtinProviders,
    sandboxes: builtinSandboxes,
    backend: ctx.backend,
    stateDir: ctx.stateDir,
    projectDir: projectDirOf(opts.file ?? [], ctx.cwd),
    secretDirs: (opts.secretDir ?? []).map((d) => path.resolve(ctx.cwd, d)),
    log: ctx.log,
    actor: actorName(),
    options: {
      ...(opts.autoApprove ? { autoApprove: true } : {}),
      ...(opts.replace ? { replace: opts.replace } : {}),
      ...(opts.target ? { target: opts.target } : {}),
      ...(opts.refreshOnly ? { refreshOnly: true } : {}),
      ...(opts.apiBudget !== undefined ? { apiBudget: opts.apiBudget } : {}),
      concurrency: opts.concurrency,
      ...(opts.sandboxOperator ? { sandboxOperator: true } : {}),
      ...(opts.confirm ? { confirm: opts.confirm } : {}),
      ...(onTerminal
        ? { terminalOperator: (confirmed) => new TerminalOperator(process.stdin, stderr.prompts, confirmed) }
        : {}),
      onEvent: (e) => stderr.line(renderExecuteEvent(e)),
      ...(stderr.onProgress ? { onProgress: stderr.onProgress } : {}),
      crashPoint,
    },
    io,
    signal,
  });
}

async function confirm(onTerminal: boolean): Promise<boolean> {
  if (!onTerminal) {
    throw new UserError(
      'apply needs confirmation, but there is no terminal: pass --auto-approve (or apply a saved plan)',
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question("Do you want to apply these changes? Only 'yes' will be accepted: ");
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}
