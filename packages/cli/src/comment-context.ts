import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CommentContext } from '@roster/core';

/**
 * The page of the CI run, from the CI's documented variables: GitHub Actions
 * (`GITHUB_SERVER_URL`/`GITHUB_REPOSITORY`/actions/runs/`GITHUB_RUN_ID`), GitLab CI (`CI_JOB_URL`,
 * else `CI_PIPELINE_URL`). Only a plain http(s) URL without credentials is used: the value lands in
 * a public comment, and a malformed one is left out rather than rendered.
 */
export function ciRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  if (server && repo && run) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo) || !/^\d+$/.test(run)) return undefined;
    return safeUrl(`${server.replace(/\/+$/, '')}/${repo}/actions/runs/${run}`);
  }
  const gitlab = env.CI_JOB_URL || env.CI_PIPELINE_URL;
  return gitlab ? safeUrl(gitlab) : undefined;
}

function safeUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined;
  return url.href;
}

/** The nearest directory at or above `dir` holding `.git` (a clone or a worktree), if any. */
function repositoryRoot(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * The project directory as a comment names it: relative to the repository root (else the working
 * directory), `.` for the root itself, its own name when it is outside both — never an absolute path
 * of the CI machine.
 */
export function projectLabel(projectDir: string, cwd: string): string {
  const rel = path.relative(repositoryRoot(projectDir) ?? cwd, projectDir);
  if (rel === '') return '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return path.basename(projectDir);
  return rel.split(path.sep).join('/');
}

/** A path given on the command line, as a comment may show it: relative to the working directory. */
export function shownPath(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.basename(file);
}

/** A command-line word quoted for a POSIX shell when it needs it. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The comment context of a run: project label, workspace, paths, the CI run, how to apply. */
export function commentContext(req: {
  projectDir: string;
  cwd: string;
  workspace: string;
  env: NodeJS.ProcessEnv;
  apply?: CommentContext['apply'];
}): CommentContext {
  const runUrl = ciRunUrl(req.env);
  return {
    projectDir: projectLabel(req.projectDir, req.cwd),
    workspace: req.workspace,
    paths: { cwd: req.cwd, project: req.projectDir },
    ...(runUrl ? { runUrl } : {}),
    ...(req.apply ? { apply: req.apply } : {}),
  };
}

/** `roster apply [--refresh-only] [-f …] [-R] [--workspace …]`: the same manifests and workspace, planned and applied again. */
export function reapplyCommand(
  opts: { file?: string[]; recursive?: boolean; workspace?: string },
  cwd: string,
  refreshOnly = false,
): string {
  const words = ['roster', 'apply'];
  if (refreshOnly) words.push('--refresh-only');
  for (const f of opts.file ?? []) words.push('-f', shownPath(f, cwd));
  if (opts.recursive) words.push('-R');
  if (opts.workspace !== undefined) words.push('--workspace', opts.workspace);
  return words.map(shellWord).join(' ');
}
