// Keep ONE open drift issue per roster project: usage `node drift-issue.mjs DIR WORKSPACE DRIFT_MD
// EXIT_CODE`. Drift (2) opens the issue or updates the open one's description; no drift (0) closes
// it with a comment; an error (1) leaves it alone (the job fails on its own).
import { all, fail, forge, marker, readText } from './forge.mjs';

const [dir, workspace, driftFile, code] = process.argv.slice(2);
if (!dir || !workspace || !driftFile || code === undefined)
  fail('usage: drift-issue.mjs DIR WORKSPACE DRIFT_MD EXIT_CODE');
if (code !== '0' && code !== '2') process.exit(0);

const f = forge();
const mark = marker('drift', dir, workspace);
const label = 'roster-drift';
const github = f.kind === 'github';
const open = await all(
  f,
  github ? `${f.repo}/issues?state=open&labels=${label}` : `${f.repo}/issues?state=opened&labels=${label}`,
);
const mine = open.find((i) => (github ? i.body : i.description)?.startsWith(mark));
const number = mine && (github ? mine.number : mine.iid);

if (code === '2') {
  const title = `roster: drift in ${dir} (workspace ${workspace})`;
  // roster's Markdown starts with this marker and links the CI run that saw the drift.
  const drift = readText(driftFile);
  const text = drift.startsWith(mark) ? drift : `${mark}\n${drift}`;
  if (github) {
    if (number) await f.api('PATCH', `${f.repo}/issues/${number}`, { body: text });
    else await f.api('POST', `${f.repo}/issues`, { title, body: text, labels: [label] });
  } else if (number) await f.api('PUT', `${f.repo}/issues/${number}`, { description: text });
  else await f.api('POST', `${f.repo}/issues`, { title, description: text, labels: label });
} else if (number) {
  const note = `No drift any more ([run](${f.runUrl})): closing.`;
  if (github) {
    await f.api('POST', `${f.repo}/issues/${number}/comments`, { body: note });
    await f.api('PATCH', `${f.repo}/issues/${number}`, { state: 'closed' });
  } else {
    await f.api('POST', `${f.repo}/issues/${number}/notes`, { body: note });
    await f.api('PUT', `${f.repo}/issues/${number}`, { state_event: 'close' });
  }
}
