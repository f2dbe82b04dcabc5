// After a merge, find the plan that was reviewed on the merged pull/merge request.
//   GitHub: `node reviewed-plan.mjs WORKFLOW_FILE` sets the step output run-id: the newest successful
//     run of that workflow for the pull request's head commit (actions/download-artifact then takes
//     the artifact from that run with `run-id` and `github-token`).
//   GitLab: `node reviewed-plan.mjs JOB_NAME ARTIFACT_PATH OUT_FILE` downloads ARTIFACT_PATH of the
//     job JOB_NAME of the newest successful pipeline of the merge request into OUT_FILE.
// A push that no pull/merge request brought has no reviewed plan: that is an error, never a re-plan.
import { writeFileSync } from 'node:fs';
import { all, fail, forge, setOutput } from './forge.mjs';

const f = forge();
const args = process.argv.slice(2);

if (f.kind === 'github') {
  const [workflow] = args;
  if (!workflow) fail('usage: reviewed-plan.mjs WORKFLOW_FILE');
  const sha = process.env.GITHUB_SHA ?? fail('GITHUB_SHA is not set');
  const pulls = await f.api('GET', `${f.repo}/commits/${sha}/pulls`);
  const pr =
    pulls.find((p) => p.merged_at) ??
    fail(`commit ${sha} was merged by no pull request: no reviewed plan to apply`);
  const runs = await f.api(
    'GET',
    `${f.repo}/actions/workflows/${encodeURIComponent(workflow)}/runs?event=pull_request&status=success&head_sha=${pr.head.sha}`,
  );
  const run =
    runs.workflow_runs?.[0] ??
    fail(`no successful ${workflow} run for pull request #${pr.number} (head ${pr.head.sha})`);
  process.stderr.write(`roster-ci: applying the plan of pull request #${pr.number}, run ${run.id}\n`);
  setOutput('run-id', String(run.id));
} else {
  const [job, artifact, out] = args;
  if (!job || !artifact || !out) fail('usage: reviewed-plan.mjs JOB_NAME ARTIFACT_PATH OUT_FILE');
  const sha = process.env.CI_COMMIT_SHA ?? fail('CI_COMMIT_SHA is not set');
  const mrs = await f.api('GET', `${f.repo}/repository/commits/${sha}/merge_requests`);
  const mr =
    mrs.find((m) => m.state === 'merged') ??
    fail(`commit ${sha} was merged by no merge request: no reviewed plan to apply`);
  const pipelines = await all(f, `${f.repo}/merge_requests/${mr.iid}/pipelines`);
  const pipeline =
    pipelines.find((p) => p.status === 'success') ??
    fail(`no successful pipeline for merge request !${mr.iid}`);
  const jobs = await all(f, `${f.repo}/pipelines/${pipeline.id}/jobs`);
  const found = jobs.find((j) => j.name === job) ?? fail(`pipeline ${pipeline.id} has no job ${job}`);
  const path = artifact.split('/').map(encodeURIComponent).join('/');
  const res = await fetch(`${process.env.CI_API_V4_URL}${f.repo}/jobs/${found.id}/artifacts/${path}`, {
    headers: { 'private-token': process.env.ROSTER_GITLAB_TOKEN ?? '' },
  });
  if (!res.ok) fail(`job ${found.id} has no artifact ${artifact} (${res.status})`);
  writeFileSync(out, Buffer.from(await res.arrayBuffer()));
  process.stderr.write(`roster-ci: applying the plan of merge request !${mr.iid}, job ${found.id}\n`);
}
