import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from './e2e-record.js';

export { recordCredential } from './e2e-record.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const rosterBin = path.join(repoRoot, 'packages/cli/bin/roster.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CI variables roster reads to link the run in a Markdown comment. */
const CI_RUN_VARIABLES = [
  'GITHUB_SERVER_URL',
  'GITHUB_REPOSITORY',
  'GITHUB_RUN_ID',
  'CI_JOB_URL',
  'CI_PIPELINE_URL',
];

/** Environment for the CLI under test: no colour, no CI-specific switches leaking in. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.FORCE_COLOR;
  for (const k of Object.keys(env)) if (k.startsWith('ROSTER_SANDBOX_') && !(k in extra)) delete env[k];
  // A suite run in CI must not link its own run into the comments it snapshots.
  for (const k of CI_RUN_VARIABLES) if (!(k in extra)) delete env[k];
  return env;
}

/** Only what a test passed, as strings: the place `${env:…}` credentials of a run come from. */
function definedEnv(env: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Run the built `roster` CLI (no TTY) and collect its output and exit code. The output, the working
 * directory and the environment given are recorded for the secrets scan run after all tests.
 */
export function roster(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined>; input?: string },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [rosterBin, ...args],
      { cwd: opts.cwd, env: cliEnv(opts.env), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        record({
          type: 'run',
          label: `roster ${args.join(' ')}`,
          cwd: opts.cwd,
          env: definedEnv(opts.env),
          stdout,
          stderr,
        });
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(opts.input ?? '');
  });
}

/** A scratch project made of the given files (path → content); recorded for the secrets scan. */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-e2e-'));
  record({ type: 'dir', dir });
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

/** A scratch copy of one of the repository's examples; recorded for the secrets scan. */
export function copyExample(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `roster-${name}-`));
  record({ type: 'dir', dir });
  cpSync(path.join(repoRoot, 'examples', name), dir, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.roster`),
  });
  return dir;
}

/** Every file under a directory (for scanning state, plans, sandboxes for secrets). */
export function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...allFiles(p));
    else out.push(p);
  }
  return out;
}

export function readJson<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The header that carries a sandbox console's per-run secret. */
export const CONSOLE_TOKEN_HEADER = 'x-roster-sandbox-token';

/**
 * Start `roster sandbox serve` in the background; resolves once it listens with its URL, the admin
 * console's per-run secret it printed (`token`), and `headers` to send it with (JSON body included).
 */
export async function serveSandbox(
  cwd: string,
  provider: string,
  extraArgs: string[] = [],
  env: Record<string, string | undefined> = {},
): Promise<{
  url: string;
  token: string;
  headers: Record<string, string>;
  child: ChildProcess;
  /** What it wrote on stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}> {
  const child = spawn(
    process.execPath,
    [rosterBin, 'sandbox', 'serve', '--provider', provider, ...extraArgs],
    {
      cwd,
      env: cliEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  child.once('exit', () =>
    record({ type: 'run', label: `sandbox serve ${provider}`, cwd, env: definedEnv(env), stdout, stderr }),
  );
  const [url, token] = await new Promise<[string, string]>((resolve, reject) => {
    let out = '';
    let errText = '';
    const check = () => {
      const line = out.split('\n').find((l) => l.startsWith('http'));
      const secret = new RegExp(`${CONSOLE_TOKEN_HEADER}: (\\S+)`).exec(errText)?.[1];
      if (line && secret) resolve([line.trim(), secret]);
    };
    child.stdout?.on('data', (d) => {
      out += String(d);
      check();
    });
    child.stderr?.on('data', (d) => {
      errText += String(d);
      check();
    });
    child.on('exit', (code) => reject(new Error(`sandbox serve exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    token,
    headers: { 'content-type': 'application/json', [CONSOLE_TOKEN_HEADER]: token },
    child,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Replace `from` in a file (the first match, or every match of a global RegExp); throws when absent. */
export function editFile(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file} holds no ${String(from)}`);
  writeFileSync(file, next);
}

/** 1-based number of the first line of `file` containing `needle` (0 when none does). */
export function lineOfIn(file: string, needle: string): number {
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(needle)) + 1
  );
}

/**
 * An Intacct Provider document at `endpoint` (a served sandbox, or a gate in front of one), its
 * write credentials read from `${env:<envPrefix>_CID}`, `_CS` and `_UID`.
 */
export function intacctProviderYaml(opts: { name?: string; endpoint: string; envPrefix: string }): string {
  const p = opts.envPrefix;
  return `apiVersion: roster/v1
kind: Provider
metadata: { name: ${opts.name ?? 'books'} }
spec:
  type: intacct
  endpoint: ${opts.endpoint}
  companyId: demo-co
  credentials:
    clientId: \${env:${p}_CID}
    clientSecret: \${env:${p}_CS}
    userId: \${env:${p}_UID}
`;
}
