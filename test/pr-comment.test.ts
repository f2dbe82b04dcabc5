import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { project, repoRoot, roster } from './helpers.js';

const GITHUB = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/infra',
  GITHUB_RUN_ID: '4242',
};

/**
 * A repository (a `.git` at its root) with the quickstart in `infra/books`, run from the root as a
 * CI job runs: the comment names `infra/books` and the workspace, never the runner's directories.
 */
describe('the Markdown a pull request shows', () => {
  let repo: string;
  beforeAll(async () => {
    repo = project({ '.git/HEAD': 'ref: refs/heads/main\n' });
    cpSync(path.join(repoRoot, 'examples', 'quickstart'), path.join(repo, 'infra', 'books'), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}.roster`),
    });
    const ws = await roster(['workspace', 'new', 'prod', '-f', 'infra/books'], { cwd: repo });
    expect(ws.code, ws.stderr).toBe(0);
  });

  it('heads the comment with the project directory, the workspace and the counts; says how to apply; links the run', async () => {
    const args = ['-f', 'infra/books', '--workspace', 'prod', '--allow-empty-state'];
    const r = await roster(['plan', ...args, '--out', 'plan.json', '--out-markdown', 'plan.md'], {
      cwd: repo,
      env: GITHUB,
    });
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(path.join(repo, 'plan.md'), 'utf8');
    expect(md.split('\n').slice(0, 9)).toEqual([
      '<!-- roster-plan dir=infra/books workspace=prod -->',
      '### roster plan · `infra/books` · workspace `prod` · 5 changes (5 to create)',
      '',
      '**roster will make 5 changes**.',
      '',
      '**To apply:** `roster apply plan.json` applies exactly this plan; it refuses if the systems or the state changed since the plan was made.',
      '',
      'CI run: https://github.com/acme/infra/actions/runs/4242',
      '',
    ]);
    expect(md).not.toContain(repo);
    // Permission maps as lists, not inline objects.
    expect(md).toContain('- gains accountsPayable/bills: add, list, modify, readonly');
    expect(md).not.toMatch(/\{"?accountsPayable/);

    // `roster show` of the artifact, in the same job: the same comment.
    const shown = await roster(['show', 'plan.json', '--format', 'markdown', '--workspace', 'prod'], {
      cwd: repo,
      env: GITHUB,
    });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toBe(md);

    // No CI variables: no run line. GitLab: the job's page.
    const local = await roster(['plan', ...args, '--format', 'markdown'], { cwd: repo });
    expect(local.stdout).not.toContain('CI run');
    expect(local.stdout).toContain(
      '**To apply:** `roster apply -f infra/books --workspace prod` plans again and applies what you confirm',
    );
    const job = 'https://gitlab.example.com/acme/infra/-/jobs/7';
    const gitlab = await roster(
      ['plan', ...args, '--format', 'markdown', '--apply-note', 'Merging applies it.'],
      {
        cwd: repo,
        env: { CI_JOB_URL: job, CI_PIPELINE_URL: 'https://gitlab.example.com/acme/infra/-/pipelines/3' },
      },
    );
    expect(gitlab.stdout).toContain(`CI run: ${job}\n`);
    expect(gitlab.stdout).toContain(
      '**To apply:** Merging applies it. By hand: `roster apply -f infra/books --workspace prod`.',
    );
  });

  it('writes manifest paths relative to the project and no directory of the machine', async () => {
    const file = path.join(repo, 'infra', 'books', 'access.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('name: AP Sync', 'nam: AP Sync'));
    try {
      const r = await roster(['plan', '-f', 'infra/books', '--workspace', 'prod', '--format', 'markdown'], {
        cwd: repo,
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('### roster plan · `infra/books` · workspace `prod` · failed: ');
      expect(r.stdout).toMatch(/^access\.yaml:\d+:\d+: error\[/m);
      expect(r.stdout).not.toContain('infra/books/access.yaml');
      expect(r.stdout).not.toContain(repo);
    } finally {
      writeFileSync(file, original);
    }
    // No state in the default workspace: the message names the state file relative to the project.
    const none = await roster(['plan', '-f', 'infra/books', '--format', 'markdown'], { cwd: repo });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('### roster plan · `infra/books` · workspace `default` · failed: 1 error');
    expect(none.stdout).toContain('error[state.missing]: no state at .roster/state.json,');
    expect(none.stdout).not.toContain(repo);
  });
});
