// Post or update the ONE plan comment of a pull request (GitHub) or merge request (GitLab) for one
// roster project: usage `node plan-comment.mjs DIR WORKSPACE PLAN_MD EXIT_CODE`. The comment is found
// by a marker naming the directory and the workspace, so two projects keep two comments.
import { existsSync } from 'node:fs';
import { all, fail, forge, marker, readText } from './forge.mjs';

const [dir, workspace, planFile, code] = process.argv.slice(2);
if (!dir || !workspace || !planFile || code === undefined)
  fail('usage: plan-comment.mjs DIR WORKSPACE PLAN_MD EXIT_CODE');

const f = forge();
const mark = marker('plan', dir, workspace);
// roster's Markdown starts with this very marker and holds the heading, the CI run link and how the
// plan is applied; the marker is added only when the file does not start with it (or is missing).
const plan = existsSync(planFile) ? readText(planFile) : undefined;
const body =
  plan === undefined
    ? `${mark}\n### roster plan: \`${dir}\` (workspace \`${workspace}\`)\n\n**The plan failed (exit ${code})**: see [the job log](${f.runUrl}).\n`
    : plan.startsWith(mark)
      ? plan
      : `${mark}\n${plan}`;

if (f.kind === 'github') {
  const event = JSON.parse(readText(process.env.GITHUB_EVENT_PATH ?? fail('GITHUB_EVENT_PATH is not set')));
  const number = event.pull_request?.number ?? fail('not a pull_request event');
  const comments = await all(f, `${f.repo}/issues/${number}/comments`);
  const mine = comments.find((c) => c.body?.startsWith(mark));
  if (mine) await f.api('PATCH', `${f.repo}/issues/comments/${mine.id}`, { body });
  else await f.api('POST', `${f.repo}/issues/${number}/comments`, { body });
} else {
  const iid =
    process.env.CI_MERGE_REQUEST_IID ?? fail('CI_MERGE_REQUEST_IID is not set: not a merge request pipeline');
  const notes = await all(f, `${f.repo}/merge_requests/${iid}/notes`);
  const mine = notes.find((n) => n.body?.startsWith(mark));
  if (mine) await f.api('PUT', `${f.repo}/merge_requests/${iid}/notes/${mine.id}`, { body });
  else await f.api('POST', `${f.repo}/merge_requests/${iid}/notes`, { body });
}
