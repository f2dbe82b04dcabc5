import path from 'node:path';
import {
  LocalStateBackend,
  type Logger,
  openProject,
  type Project,
  projectDirOf,
  type StateBackend,
  stderrLogger,
} from '@roster/core';
import { type Command, Option } from 'commander';
import { builtinProviders } from './providers.js';

/** Options every project command takes. */
export interface CommonOptions {
  file?: string[];
  stateDir?: string;
  color?: boolean;
  verbose?: boolean;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Add `-f`, `--state-dir`, `--no-color`, `-v` to a command. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '-f, --file <path>',
        'manifest file or directory (repeatable; default: the working directory)',
      ).argParser(collect),
    )
    .option('--state-dir <dir>', 'where state, sandboxes and the lock live (default: <project>/.roster)')
    .option('--no-color', 'plain output (also: NO_COLOR=1)')
    .option('-v, --verbose', 'log debug details to stderr');
}

export interface RunContext {
  cwd: string;
  log: Logger;
  stateDir: string;
  backend: StateBackend;
}

/** Where state lives for these options, without loading manifests. */
export function runContext(opts: CommonOptions): RunContext {
  const cwd = process.cwd();
  const paths = opts.file ?? [];
  const stateDir = opts.stateDir
    ? path.resolve(cwd, opts.stateDir)
    : path.join(projectDirOf(paths, cwd), '.roster');
  const log = stderrLogger({ verbose: opts.verbose === true });
  return { cwd, log, stateDir, backend: new LocalStateBackend({ dir: stateDir, logger: log }) };
}

/** Load the project the options point at (diagnostics inside, never thrown). */
export async function loadProjectFor(opts: CommonOptions, ctx: RunContext): Promise<Project> {
  return openProject({
    paths: opts.file ?? [],
    cwd: ctx.cwd,
    stateDir: ctx.stateDir,
    providers: builtinProviders,
  });
}

/** Parse a positive integer option. */
export function intOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`${name} must be a non-negative integer, got ${value}`);
    return n;
  };
}

export { collect };
