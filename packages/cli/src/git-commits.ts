import { execFile } from 'node:child_process';
import path from 'node:path';
import type { ReviewCommit } from '@roster/core';

/** What `git log` found, or why it found nothing. */
export interface GitCommits {
  commits: ReviewCommit[];
  /** Set when the project is not in git (or git is missing): the report says so, never fails. */
  note?: string;
}

const RECORD = '\u001e';
const FIELD = '\u001f';

/**
 * The commits since `since` that changed any of `files` (paths relative to `cwd`), newest first,
 * each with the files among them it changed, relative to `cwd` as given. A directory outside git,
 * or no git at all, is a note, not an error: the evidence is then the applies alone.
 */
export async function commitsTouching(req: {
  cwd: string;
  files: readonly string[];
  since: string;
}): Promise<GitCommits> {
  if (req.files.length === 0) return { commits: [] };
  const top = await git(req.cwd, ['rev-parse', '--show-toplevel']);
  if (!top.ok)
    return { commits: [], note: `${req.cwd} is not in a git repository: no commits listed as evidence` };
  const root = top.stdout.trim();
  const log = await git(req.cwd, [
    '-c',
    'core.quotepath=off',
    'log',
    `--since=${req.since}`,
    `--format=${RECORD}%H${FIELD}%cI${FIELD}%an${FIELD}%s`,
    '--name-only',
    '--',
    ...req.files,
  ]);
  // A repository without a commit yet has no history to show.
  if (!log.ok) return { commits: [], note: `git log failed: ${log.stderr.trim().split('\n')[0] ?? ''}` };
  const commits: ReviewCommit[] = [];
  for (const record of log.stdout.split(RECORD)) {
    const [header = '', ...names] = record.split('\n');
    const [sha, date, author, subject] = header.split(FIELD);
    if (!sha || !date || author === undefined || subject === undefined) continue;
    const files = names
      .filter((n) => n.trim() !== '')
      .map((n) => path.relative(req.cwd, path.join(root, n)).split(path.sep).join('/'));
    if (files.length > 0) commits.push({ sha, date, author, subject, files });
  }
  return { commits };
}

function git(cwd: string, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({
        ok: !error,
        stdout: String(stdout),
        stderr: String(stderr ?? (error as Error | null)?.message ?? ''),
      }),
    );
  });
}
