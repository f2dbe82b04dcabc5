import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitsTouching } from './git-commits.js';

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bob',
  GIT_AUTHOR_EMAIL: 'bob@example.com',
  GIT_COMMITTER_NAME: 'Bob',
  GIT_COMMITTER_EMAIL: 'bob@example.com',
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' });
/** A commit made at a given time, so the test does not depend on the clock. */
const commitAt = (cwd: string, date: string, ...args: string[]) =>
  execFileSync('git', ['commit', ...args], {
    cwd,
    env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    encoding: 'utf8',
  });

describe('commitsTouching', () => {
  it('lists the commits that changed the files since a time, with paths as the working directory names them', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'roster-git-'));
    const project = path.join(repo, 'manifests');
    mkdirSync(project);
    git(repo, 'init', '-q');
    writeFileSync(path.join(project, 'a.yaml'), 'a: 1\n');
    writeFileSync(path.join(project, 'b.yaml'), 'b: 1\n');
    git(repo, 'add', '.');
    commitAt(repo, '2026-01-01T00:00:00Z', '-qm', 'start');
    writeFileSync(path.join(project, 'a.yaml'), 'a: 2\n');
    commitAt(repo, '2026-06-01T00:00:00Z', '-qam', 'revoke a');
    const sha = git(repo, 'rev-parse', 'HEAD').trim();

    const all = await commitsTouching({
      cwd: project,
      files: ['a.yaml', 'b.yaml'],
      since: '2025-12-01T00:00:00Z',
    });
    expect(all.note).toBeUndefined();
    expect(all.commits.map((c) => [c.subject, c.author, c.files])).toEqual([
      ['revoke a', 'Bob', ['a.yaml']],
      ['start', 'Bob', ['a.yaml', 'b.yaml']],
    ]);
    const since = await commitsTouching({
      cwd: project,
      files: ['a.yaml', 'b.yaml'],
      since: '2026-03-01T00:00:00Z',
    });
    expect(since.commits).toEqual([
      { sha, date: '2026-06-01T00:00:00+00:00', author: 'Bob', subject: 'revoke a', files: ['a.yaml'] },
    ]);
    expect(await commitsTouching({ cwd: project, files: ['b.yaml'], since: '2026-03-01T00:00:00Z' })).toEqual(
      {
        commits: [],
      },
    );
  });

  it('outside git: no commits and a note, not an error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-nogit-'));
    const r = await commitsTouching({ cwd: dir, files: ['a.yaml'], since: '2000-01-01T00:00:00Z' });
    expect(r.commits).toEqual([]);
    expect(r.note).toMatch(/is not in a git repository: no commits listed as evidence$/);
  });
});
