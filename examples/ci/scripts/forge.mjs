// The few GitHub and GitLab REST calls the roster recipes make, chosen by the CI's own variables
// (GITHUB_ACTIONS / GITLAB_CI). Node 20's fetch only: no dependency to install in a CI job.
import { appendFileSync, readFileSync } from 'node:fs';

/** Stop the step with one line on stderr (no stack trace). */
export function fail(message) {
  process.stderr.write(`roster-ci: ${message}\n`);
  process.exit(1);
}

function need(name) {
  const value = process.env[name];
  if (!value) fail(`${name} is not set`);
  return value;
}

/** The platform this job runs on, with an authenticated JSON client for its REST API. */
export function forge() {
  if (process.env.GITHUB_ACTIONS === 'true') {
    const base = need('GITHUB_API_URL');
    const token = need('GITHUB_TOKEN');
    const repo = need('GITHUB_REPOSITORY');
    const headers = { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' };
    return {
      kind: 'github',
      repo: `/repos/${repo}`,
      runUrl: `${need('GITHUB_SERVER_URL')}/${repo}/actions/runs/${need('GITHUB_RUN_ID')}`,
      api: (method, path, body) => call(base, headers, method, path, body),
    };
  }
  if (process.env.GITLAB_CI === 'true') {
    const base = need('CI_API_V4_URL');
    const headers = { 'private-token': need('ROSTER_GITLAB_TOKEN') };
    return {
      kind: 'gitlab',
      repo: `/projects/${encodeURIComponent(need('CI_PROJECT_ID'))}`,
      runUrl: need('CI_JOB_URL'),
      api: (method, path, body) => call(base, headers, method, path, body),
    };
  }
  return fail('neither GITHUB_ACTIONS nor GITLAB_CI is true: run this in a CI job');
}

async function call(base, headers, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) fail(`${method} ${path} answered ${res.status} ${res.statusText}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

/** Every item of a paged list (both APIs take per_page and page). */
export async function all(f, path) {
  const out = [];
  for (let page = 1; ; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const items = await f.api('GET', `${path}${sep}per_page=100&page=${page}`);
    out.push(...items);
    if (items.length < 100) return out;
  }
}

/** The HTML comment that makes a comment or issue ours: one per project directory and workspace. */
export function marker(what, dir, workspace) {
  return `<!-- roster-${what} dir=${dir} workspace=${workspace} -->`;
}

export function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fail(`cannot read ${file}`);
  }
}

/** A step output (GITHUB_OUTPUT); on GitLab, stdout. */
export function setOutput(name, value) {
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${name}=${value}\n`);
  else process.stdout.write(`${name}=${value}\n`);
}
