import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ciRunUrl, projectLabel, shellWord, shownPath } from './comment-context.js';

describe('ciRunUrl', () => {
  it('builds the GitHub Actions run page from its documented variables', () => {
    expect(
      ciRunUrl({
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'acme/infra',
        GITHUB_RUN_ID: '4242',
      }),
    ).toBe('https://github.com/acme/infra/actions/runs/4242');
  });

  it('takes the GitLab job page, else the pipeline page', () => {
    const job = 'https://gitlab.example.com/acme/infra/-/jobs/7';
    const pipeline = 'https://gitlab.example.com/acme/infra/-/pipelines/3';
    expect(ciRunUrl({ CI_JOB_URL: job, CI_PIPELINE_URL: pipeline })).toBe(job);
    expect(ciRunUrl({ CI_PIPELINE_URL: pipeline })).toBe(pipeline);
  });

  it('is absent without the variables, and never renders a malformed or credentialed value', () => {
    expect(ciRunUrl({})).toBeUndefined();
    expect(ciRunUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/infra' })).toBe(
      undefined,
    );
    expect(ciRunUrl({ CI_JOB_URL: 'javascript:alert(1)' })).toBeUndefined();
    expect(ciRunUrl({ CI_JOB_URL: 'https://user:tok@gitlab.example.com/j/1' })).toBeUndefined();
    expect(
      ciRunUrl({
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'acme/infra) [x](y',
        GITHUB_RUN_ID: '1',
      }),
    ).toBeUndefined();
  });
});

describe('projectLabel', () => {
  it('names the project relative to the repository root, even from a subdirectory', () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'roster-label-'));
    mkdirSync(path.join(repo, '.git'));
    mkdirSync(path.join(repo, 'infra', 'roster'), { recursive: true });
    expect(projectLabel(path.join(repo, 'infra', 'roster'), path.join(repo, 'infra'))).toBe('infra/roster');
    expect(projectLabel(repo, repo)).toBe('.');
  });

  it('outside a repository: relative to the working directory, else its own name, never absolute', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-label-'));
    mkdirSync(path.join(dir, 'p'));
    expect(projectLabel(path.join(dir, 'p'), dir)).toBe('p');
    expect(projectLabel(path.join(dir, 'p'), path.join(dir, 'elsewhere'))).toBe('p');
  });
});

describe('shownPath and shellWord', () => {
  it('shows command-line paths relative to the working directory, quoted when needed', () => {
    expect(shownPath('/ci/build/plan.json', '/ci/build')).toBe('plan.json');
    expect(shownPath('/tmp/x/plan.json', '/ci/build')).toBe('plan.json');
    expect(shownPath('out/plan.json', '/ci/build')).toBe('out/plan.json');
    expect(shellWord('infra/roster')).toBe('infra/roster');
    expect(shellWord("my plan's.json")).toBe(`'my plan'\\''s.json'`);
  });
});
