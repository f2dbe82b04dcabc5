import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { record } from '../e2e-record.js';
import { repoRoot, rosterBin } from '../helpers.js';

/**
 * Runs the jobs of the CI recipes in examples/ci on this machine: each `run:` step (GitHub) or the
 * `before_script` + `script` lines (GitLab) with bash, in a fresh copy of a repository, with the
 * platform's documented variables set. `roster` on PATH is a shim to the built CLI; `npm install
 * --global @roster/cli…` is a shim that does nothing (roster is already there). `uses:` steps are
 * emulated: checkout copies the repository, setup-node does nothing (this Node is on PATH),
 * upload-artifact / download-artifact copy files to / from an in-memory store keyed by run id.
 * `on:`, `rules:` and `needs:` are not evaluated: a test runs the job it names in the situation
 * those select; a job's `if:` is evaluated.
 */

/** The outcome of one step. */
export interface StepRun {
  name: string;
  code: number;
  stdout: string;
  stderr: string;
  skipped: boolean;
}

/** The outcome of one job. */
export interface JobRun {
  ok: boolean;
  skipped: boolean;
  steps: StepRun[];
  /** The environment the steps ran with (secrets included: for asserting which ones a job gets). */
  env: Record<string, string>;
  workspace: string;
}

/** A bin directory with `roster` (the built CLI) and a recording `npm` shim, put first on PATH. */
export function runnerBin(): string {
  const bin = mkdtempSync(path.join(tmpdir(), 'roster-ci-bin-'));
  writeFileSync(path.join(bin, 'roster'), `#!/bin/sh\nexec "${process.execPath}" "${rosterBin}" "$@"\n`);
  writeFileSync(
    path.join(bin, 'npm'),
    `#!/bin/sh\ncase "$*" in "install --global @roster/cli@"*) exit 0 ;; esac\necho "npm shim: unexpected npm $*" >&2\nexit 1\n`,
  );
  for (const f of ['roster', 'npm']) chmodSync(path.join(bin, f), 0o755);
  return bin;
}

function baseEnv(bin: string, home: string): Record<string, string> {
  return {
    PATH: `${bin}:${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    LANG: 'C.UTF-8',
    CI: 'true',
  };
}

function runBash(
  script: string,
  cwd: string,
  env: Record<string, string>,
  flags: string[],
): Promise<StepRun> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', ...flags, '-c', script], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ name: '', code: code ?? 1, stdout, stderr, skipped: false }));
  });
}

/** `KEY=value` lines and `KEY<<DELIM` blocks, as GITHUB_ENV and GITHUB_OUTPUT hold them. */
function readKeyValues(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(file)) return out;
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) body.push(lines[i]!);
      out[heredoc[1]!] = body.join('\n');
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions

/** What a GitHub workflow run of the test is about. */
export interface GithubRun {
  workflow: string;
  job: string;
  matrix?: Record<string, string>;
  secrets: Record<string, string>;
  vars?: Record<string, string>;
  eventName: string;
  event: Record<string, unknown>;
  sha: string;
  runId: number;
  repository: string;
  /** `github.token`, the job's API token. */
  token: string;
  /** The repository at that commit (checked out by actions/checkout). */
  repo: string;
  apiUrl: string;
  /** Artifacts by run id, then name: a directory of files. */
  artifacts: Map<number, Map<string, string>>;
  bin: string;
}

interface Context {
  secrets: Record<string, string>;
  vars: Record<string, string>;
  matrix: Record<string, string>;
  env: Record<string, string>;
  github: Record<string, unknown>;
  steps: Record<string, { outputs: Record<string, string> }>;
  runner: Record<string, string>;
}

function lookup(ctx: Context, ref: string): unknown {
  let v: unknown = ctx;
  for (const part of ref.split('.')) {
    if (v === null || typeof v !== 'object') return '';
    v = (v as Record<string, unknown>)[part];
  }
  return v ?? '';
}

/**
 * The expressions the recipes use: context references, string literals, `==`, `!=`, `&&`, `||`,
 * `!`, parentheses and always()/success()/failure(). Anything else is a syntax or reference error,
 * so an expression the harness does not understand fails the test instead of being skipped.
 */
export function evaluate(expr: string, ctx: Context, failed = false): unknown {
  const refs = /\b(secrets|vars|matrix|env|github|steps|runner)((?:\.[A-Za-z0-9_-]+)+)/g;
  const calls = /\b(always|success|failure)\(\)/g;
  const rest = expr
    .replace(refs, '')
    .replace(calls, '')
    .replace(/'[^']*'/g, '');
  if (!/^[\s!=&|()]*$/.test(rest)) throw new Error(`expression not understood: ${expr}`);
  const js = expr
    .replace(refs, (ref) => JSON.stringify(lookup(ctx, ref)))
    .replace(calls, (_, fn: string) => String(fn === 'always' ? true : fn === 'success' ? !failed : failed));
  return new Function(`return (${js});`)();
}

function interpolate(text: string, ctx: Context): string {
  return text.replace(/\$\{\{(.+?)\}\}/g, (_, e: string) => String(evaluate(e, ctx)));
}

function condition(value: unknown, ctx: Context, failed: boolean): boolean {
  if (value === undefined) return !failed;
  const expr = String(value).replace(/^\s*\$\{\{(.*)\}\}\s*$/, '$1');
  const refersToStatus = /\b(always|success|failure|cancelled)\(\)/.test(expr);
  return Boolean(evaluate(expr, ctx, failed)) && (refersToStatus || !failed);
}

type Step = {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'working-directory'?: string;
};

/** Run one job of a GitHub workflow in examples/ci/github. */
export async function runGithubJob(run: GithubRun): Promise<JobRun> {
  const wf = parse(readFileSync(path.join(repoRoot, 'examples/ci/github', run.workflow), 'utf8')) as {
    env?: Record<string, string>;
    jobs: Record<string, { if?: string; env?: Record<string, string>; steps: Step[] }>;
  };
  const job = wf.jobs[run.job];
  if (!job) throw new Error(`${run.workflow} has no job ${run.job}`);
  const root = mkdtempSync(path.join(tmpdir(), 'roster-ci-gh-'));
  const workspace = path.join(root, 'work');
  const temp = path.join(root, 'temp');
  mkdirSync(temp);
  mkdirSync(workspace);
  record({ type: 'dir', dir: workspace });
  const eventPath = path.join(temp, 'event.json');
  writeFileSync(eventPath, JSON.stringify(run.event));
  const [owner] = run.repository.split('/');
  const github = {
    token: run.token,
    repository: run.repository,
    repository_owner: owner,
    event: run.event,
    event_name: run.eventName,
    sha: run.sha,
    run_id: String(run.runId),
  };
  const ctx: Context = {
    secrets: run.secrets,
    vars: run.vars ?? {},
    matrix: run.matrix ?? {},
    env: {},
    github,
    steps: {},
    runner: { temp, os: 'Linux' },
  };
  const defaults: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: run.repository,
    GITHUB_REPOSITORY_OWNER: owner!,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_API_URL: run.apiUrl,
    GITHUB_RUN_ID: String(run.runId),
    GITHUB_SHA: run.sha,
    GITHUB_EVENT_NAME: run.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKFLOW: run.workflow,
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
  };
  const result: JobRun = { ok: true, skipped: false, steps: [], env: {}, workspace };
  if (job.if !== undefined && !condition(job.if, ctx, false)) return { ...result, skipped: true };

  const jobEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...wf.env, ...job.env })) jobEnv[k] = interpolate(String(v), ctx);
  let added: Record<string, string> = {};
  const artifactsOfRun = () => {
    const m = run.artifacts.get(run.runId) ?? new Map<string, string>();
    run.artifacts.set(run.runId, m);
    return m;
  };

  for (const [i, step] of job.steps.entries()) {
    ctx.env = { ...jobEnv, ...added };
    const name = step.name ?? step.uses ?? `step ${i + 1}`;
    if (!condition(step.if, ctx, !result.ok)) {
      result.steps.push({ name, code: 0, stdout: '', stderr: '', skipped: true });
      continue;
    }
    const inputs: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.with ?? {})) inputs[k] = interpolate(String(v), ctx);
    let outcome: StepRun = { name, code: 0, stdout: '', stderr: '', skipped: false };
    if (step.uses?.startsWith('actions/checkout@')) checkout(run.repo, workspace);
    else if (step.uses?.startsWith('actions/setup-node@')) {
      // This Node is already on PATH.
    } else if (step.uses?.startsWith('actions/upload-artifact@')) {
      const file = path.resolve(workspace, inputs.path!);
      if (!existsSync(file)) outcome = { ...outcome, code: 1, stderr: `no file ${inputs.path}` };
      else {
        const dir = mkdtempSync(path.join(tmpdir(), 'roster-ci-artifact-'));
        record({ type: 'dir', dir });
        cpSync(file, path.join(dir, path.basename(file)));
        artifactsOfRun().set(inputs.name!, dir);
      }
    } else if (step.uses?.startsWith('actions/download-artifact@')) {
      const from = inputs['run-id'] ? Number(inputs['run-id']) : run.runId;
      if (inputs['run-id'] && inputs['github-token'] !== github.token)
        throw new Error('download-artifact from another run needs github-token');
      const dir = run.artifacts.get(from)?.get(inputs.name!);
      if (!dir) outcome = { ...outcome, code: 1, stderr: `no artifact ${inputs.name} in run ${from}` };
      else cpSync(dir, path.resolve(workspace, inputs.path ?? '.'), { recursive: true });
    } else if (step.run !== undefined) {
      const stepEnv: Record<string, string> = {};
      for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = interpolate(String(v), ctx);
      const outputFile = path.join(temp, `output-${i}`);
      const envFile = path.join(temp, `env-${i}`);
      writeFileSync(outputFile, '');
      writeFileSync(envFile, '');
      const env = {
        ...baseEnv(run.bin, temp),
        ...defaults,
        ...jobEnv,
        ...added,
        ...stepEnv,
        GITHUB_OUTPUT: outputFile,
        GITHUB_ENV: envFile,
      };
      result.env = env;
      const cwd = path.resolve(workspace, interpolate(step['working-directory'] ?? '.', ctx));
      outcome = { ...(await runBash(interpolate(step.run, ctx), cwd, env, ['-e'])), name };
      record({
        type: 'run',
        label: `${run.workflow} ${run.job}: ${name}`,
        cwd,
        env: { ...jobEnv, ...stepEnv },
        stdout: outcome.stdout,
        stderr: outcome.stderr,
      });
      if (step.id) ctx.steps[step.id] = { outputs: readKeyValues(outputFile) };
      added = { ...added, ...readKeyValues(envFile) };
    } else throw new Error(`the harness does not emulate ${step.uses}`);
    result.steps.push(outcome);
    if (outcome.code !== 0) result.ok = false;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// GitLab CI

/** What a GitLab job of the test is about. */
export interface GitlabRun {
  job: string;
  matrix?: Record<string, string>;
  /** Project CI/CD variables; an `environment` scope limits one to the jobs of that environment. */
  variables: Array<{ key: string; value: string; environment?: string }>;
  /** CI_PIPELINE_SOURCE, CI_MERGE_REQUEST_IID, CI_COMMIT_SHA, … of this pipeline. */
  predefined: Record<string, string>;
  jobId: number;
  repo: string;
  bin: string;
}

type GitlabJob = {
  extends?: string;
  environment?: string | { name: string };
  variables?: Record<string, string>;
  before_script?: string[];
  script: string[];
  artifacts?: { paths?: string[]; when?: string };
};

/** The jobs of examples/ci/gitlab/.gitlab-ci.yml, `extends` resolved. */
export function gitlabJobs(): Record<string, GitlabJob & { global: Record<string, string> }> {
  const doc = parse(readFileSync(path.join(repoRoot, 'examples/ci/gitlab/.gitlab-ci.yml'), 'utf8')) as Record<
    string,
    unknown
  >;
  const global = (doc.variables ?? {}) as Record<string, string>;
  const out: Record<string, GitlabJob & { global: Record<string, string> }> = {};
  for (const [name, value] of Object.entries(doc)) {
    if (name.startsWith('.') || typeof value !== 'object' || value === null || !('script' in value)) continue;
    const job = value as GitlabJob;
    const base = job.extends ? (doc[job.extends] as Partial<GitlabJob>) : {};
    out[name] = { ...base, ...job, global } as GitlabJob & { global: Record<string, string> };
  }
  return out;
}

/**
 * What a CI checkout leaves: the repository's files and a `.git` directory at its root (roster names
 * a project in its comments by its path from there).
 */
function checkout(repo: string, into: string): void {
  cpSync(repo, into, { recursive: true });
  mkdirSync(path.join(into, '.git'), { recursive: true });
}

/** Run one job of the GitLab pipeline; answers the outcome and the artifact files it kept. */
export async function runGitlabJob(run: GitlabRun): Promise<JobRun & { artifacts: Map<string, Buffer> }> {
  const job = gitlabJobs()[run.job];
  if (!job) throw new Error(`.gitlab-ci.yml has no job ${run.job}`);
  const root = mkdtempSync(path.join(tmpdir(), 'roster-ci-gl-'));
  const dir = path.join(root, 'project');
  checkout(run.repo, dir);
  record({ type: 'dir', dir });
  const environment = typeof job.environment === 'string' ? job.environment : job.environment?.name;
  const variables: Record<string, string> = {};
  for (const v of run.variables)
    if (!v.environment || v.environment === environment) variables[v.key] = v.value;
  const matrixName = run.matrix ? `${run.job}: [${Object.values(run.matrix).join(', ')}]` : run.job;
  const env: Record<string, string> = {
    ...baseEnv(run.bin, root),
    GITLAB_CI: 'true',
    CI_PROJECT_DIR: dir,
    CI_JOB_ID: String(run.jobId),
    CI_JOB_NAME: matrixName,
    CI_JOB_URL: `https://gitlab.example/group/project/-/jobs/${run.jobId}`,
    ...(environment ? { CI_ENVIRONMENT_NAME: environment } : {}),
    ...run.predefined,
    ...variables,
    ...job.global,
    ...job.variables,
    ...run.matrix,
  };
  // The runner stops at the first failing line, as `set -eo pipefail` does.
  const script = [...(job.before_script ?? []), ...job.script].join('\n');
  const step = { ...(await runBash(script, dir, env, ['-eo', 'pipefail'])), name: matrixName };
  record({
    type: 'run',
    label: `gitlab ${matrixName}`,
    cwd: dir,
    env: variables,
    stdout: step.stdout,
    stderr: step.stderr,
  });
  const ok = step.code === 0;
  const artifacts = new Map<string, Buffer>();
  if (job.artifacts && (ok || job.artifacts.when === 'always'))
    for (const p of job.artifacts.paths ?? []) {
      const rel = p.replace(/\$(\w+)|\$\{(\w+)\}/g, (_, a?: string, b?: string) => env[(a ?? b)!] ?? '');
      const file = path.join(dir, rel);
      if (existsSync(file)) artifacts.set(rel, readFileSync(file));
    }
  return { ok, skipped: false, steps: [step], env, workspace: dir, artifacts };
}
