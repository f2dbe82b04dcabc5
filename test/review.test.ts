import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, inject, it } from 'vitest';
import { outputValidator, schemaErrors } from '../packages/core/src/render/output-schemas.testing.js';
import type { ReviewReport } from '../packages/core/src/review/types.js';
import { copyExample, editFile, lineOfIn } from './helpers.js';
import { freshDatabase } from './support/postgres-database.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

// A full access review on examples/company, in a git repository of its own so the commit evidence
// is real: apply; review start; check fails on missing decisions, on a self-review, on a revoke
// not enacted; the revoke is enacted by a manifest change, a commit and an apply; check passes; the
// report names the commit and the apply.

const REVOKED = 'intacct-sandbox/ServiceAccount/bi-export';
const OWNED = 'proliance/ServiceAccount/procore';
const CHANGED = 'intacct-sandbox/ServiceAccount/invoice-portal';
const FILE = 'reviews/2026-Q4.yaml';

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Carol Reviewer',
  GIT_AUTHOR_EMAIL: 'carol@example.com',
  GIT_COMMITTER_NAME: 'Carol Reviewer',
  GIT_COMMITTER_EMAIL: 'carol@example.com',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });

/** Every account gets a decision: keep by carol, but a revoke, a change and the owner's own keep. */
function decideAll(text: string, today: string): string {
  return text.replace(/^( {4}- address: (\S+)\n)/gm, (_, line: string, address: string) => {
    const decision =
      address === REVOKED
        ? `{decision: revoke, reviewer: carol, at: ${today}, comment: "no BI export since June"}`
        : address === CHANGED
          ? `{decision: change, reviewer: carol, at: ${today}, comment: "no GL access: leave the integrations group"}`
          : address === OWNED
            ? `{decision: keep, reviewer: pmo, at: ${today}, comment: "the Procore sync runs nightly"}`
            : `{decision: keep, reviewer: carol, at: ${today}, comment: "in use"}`;
    return `${line}      decision: ${decision}\n`;
  });
}

describe('roster review on examples/company', () => {
  it('start → decisions → a revoke enacted by a manifest change and apply → check passes → report', async () => {
    const dir = copyExample('company');
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'company accounts');
    const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
    expect(apply.code, apply.stderr).toBe(0);

    const start = await roster(['review', 'start', '--period', '2026-Q4'], {
      cwd: dir,
      env: { ROSTER_ACTOR: 'auditor' },
    });
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(
      /^Started review 2026-Q4: \d+ accounts \(\d+ managed\) in reviews\/2026-Q4\.yaml$/m,
    );
    const file = path.join(dir, FILE);
    const started = readFileSync(file, 'utf8');
    expect(started.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=https://roster.dev/schemas/review.schema.json',
    );
    expect(started).toMatch(/^ {2}startedBy: auditor$/m);
    expect(started).toMatch(/^ {2}refreshHash: sha256:[0-9a-f]{64}$/m);
    expect(started).toContain(`- address: ${REVOKED}\n`);
    const size = started.match(/^ {4}- address: /gm)!.length;

    // A review is started once.
    const again = await roster(['review', 'start', '--period', '2026-Q4'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `error: ${FILE} exists: a review is started once, and its decisions are evidence. Give another --out, or remove the file in git to start over\n`,
    );
    git(dir, 'add', FILE);
    git(dir, 'commit', '-qm', 'start review 2026-Q4');

    const missing = await roster(['review', 'check'], { cwd: dir });
    expect(missing.code, missing.stderr).toBe(2);
    const missingLines = missing.stdout
      .split('\n')
      .filter((l) => l.includes('error[review.missing-decision]'));
    expect(missingLines).toHaveLength(size);
    expect(missingLines).toContain(
      `${FILE}:${lineOfIn(file, `- address: ${REVOKED}`)}:16: error[review.missing-decision]: no decision for ${REVOKED} (owner data-platform): add decision: {decision: keep|revoke|change, reviewer, at, comment}`,
    );

    const today = new Date().toISOString().slice(0, 10);
    writeFileSync(file, decideAll(started, today));
    const selfAndPending = await roster(['review', 'check', FILE], { cwd: dir });
    expect(selfAndPending.code).toBe(2);
    const reviewerLine = lineOfIn(file, 'reviewer: pmo');
    const revokeLine = lineOfIn(file, 'decision: revoke');
    const changeLine = lineOfIn(file, 'decision: change');
    expect(selfAndPending.stdout.split('\n')).toEqual([
      `${FILE}:${revokeLine}:28: error[review.not-enacted]: revoke of ${REVOKED} (carol, ${today}) is not enacted: the manifests still declare it active`,
      `${FILE}:${changeLine}:28: error[review.not-enacted]: change of ${CHANGED} (carol, ${today}) is not enacted: its effective permissions are still those frozen at the start`,
      `${FILE}:${reviewerLine}:44: error[review.self-review]: pmo reviewed ${OWNED}, of which they are the owner: another person must decide`,
      '',
      `Review 2026-Q4 does not pass: 3 problems (2 not-enacted, 1 self-review); ${size} of ${size} accounts decided.`,
      '',
    ]);

    editFile(file, 'reviewer: pmo', 'reviewer: carol');
    // The revoke: bi-export leaves the manifests (Intacct deactivates a removed user); the change:
    // invoice-portal leaves the integrations group. One commit.
    const accounts = path.join(dir, 'intacct-accounts.yaml');
    const text = readFileSync(accounts, 'utf8');
    writeFileSync(
      accounts,
      text.slice(
        0,
        text.indexOf('---\napiVersion: roster/v1\nkind: ServiceAccount\nmetadata:\n  name: bi-export'),
      ),
    );
    editFile(accounts, '  groups: [{ ref: integrations }]\n', '');
    git(dir, 'commit', '-qam', 'revoke bi-export, change invoice-portal (access review 2026-Q4)');
    const revokeSha = git(dir, 'rev-parse', 'HEAD').trim();

    const notApplied = await roster(['review', 'check'], { cwd: dir });
    expect(notApplied.code).toBe(2);
    expect(notApplied.stdout).toContain(
      `error[review.not-enacted]: revoke of ${REVOKED} (carol, ${today}) is not enacted: the systems still hold it active: apply the manifests`,
    );
    expect(notApplied.stdout).toContain(
      `error[review.not-enacted]: change of ${CHANGED} (carol, ${today}) is not enacted: the plan still has changes for it: apply the manifests`,
    );
    const enact = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(enact.code, enact.stderr).toBe(0);
    expect(enact.stderr).toContain(`${REVOKED}: deactivate done`);
    expect(enact.stderr).toContain(`${CHANGED}: update done`);
    const passes = await roster(['review', 'check'], { cwd: dir });
    expect(passes.code, passes.stdout).toBe(0);
    expect(passes.stdout).toBe(`Review 2026-Q4 passes: ${size} accounts, every decision made and enacted.\n`);

    const json = await roster(['review', 'report', '--format', 'json'], { cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as ReviewReport;
    const validate = outputValidator('review-report');
    expect(validate(report), schemaErrors(validate)).toBe(true);
    expect(report).toMatchObject({
      period: '2026-Q4',
      startedBy: 'auditor',
      population: { size, intact: true },
      reviewers: [{ name: 'carol', decisions: size, first: today, last: today }],
      totals: { keep: size - 2, revoke: 1, change: 1, missing: 0 },
      openExceptions: [],
      problems: [],
      notes: [],
    });
    const revoked = report.items.find((i) => i.address === REVOKED)!;
    expect(revoked.enactment).toEqual({
      status: 'enacted',
      commits: [
        {
          sha: revokeSha,
          date: expect.any(String),
          author: 'Carol Reviewer',
          subject: 'revoke bi-export, change invoice-portal (access review 2026-Q4)',
          files: ['intacct-accounts.yaml'],
        },
      ],
      applies: [
        {
          at: expect.any(String),
          by: expect.any(String),
          runId: expect.any(String),
          action: 'deactivate',
          outcome: 'done',
        },
      ],
    });
    expect(report.items.find((i) => i.address === CHANGED)!.enactment).toMatchObject({
      status: 'enacted',
      commits: [{ sha: revokeSha }],
      applies: [{ action: 'update', outcome: 'done' }],
    });
    // The account is still in the systems, deactivated, under its natural key.
    expect(report.current.find((a) => a.naturalKey === 'WS_BI_EXPORT')?.status).toBe('deactivated');

    const csv = await roster(['review', 'report', '--format', 'csv'], { cwd: dir });
    expect(csv.code, csv.stderr).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(size);
    expect(rows.find((r) => r.address === REVOKED)).toMatchObject({
      decision: 'revoke',
      reviewer: 'carol',
      enactment: 'enacted',
      commits: `${revokeSha.slice(0, 12)} revoke bi-export, change invoice-portal (access review 2026-Q4)`,
    });

    // A malformed decision is exit 1 at its line, before any system is read.
    const bad = path.join(dir, 'reviews/bad.yaml');
    writeFileSync(bad, readFileSync(file, 'utf8').replace('decision: revoke', 'decision: remove'));
    const malformed = await roster(['review', 'check', 'reviews/bad.yaml'], { cwd: dir });
    expect(malformed.code).toBe(1);
    expect(malformed.stdout).toBe('');
    expect(malformed.stderr).toBe(
      `reviews/bad.yaml:${revokeLine}:28: error[review.file]: spec.population[${report.items.findIndex((i) => i.address === REVOKED)}].decision.decision must be one of: keep, revoke, change\n`,
    );
    const directory = await roster(['review', 'check', 'reviews'], { cwd: dir });
    expect(directory.code).toBe(1);
    expect(directory.stderr).toBe(
      'error: reviews is a directory: give the review file, or the project with -f reviews\n',
    );
    // An edited population is caught by its hash.
    writeFileSync(bad, readFileSync(file, 'utf8').replace('owner: data-platform', 'owner: carol'));
    const edited = await roster(['review', 'check', 'reviews/bad.yaml'], { cwd: dir });
    expect(edited.code).toBe(2);
    expect(edited.stdout).toMatch(
      /^reviews\/bad\.yaml:\d+:19: error\[review\.population-changed\]: the population was edited after roster review start/m,
    );

    // Outside git the report still stands, with a note instead of commits.
    rmSync(path.join(dir, '.git'), { recursive: true, force: true });
    expect(existsSync(path.join(dir, '.git'))).toBe(false);
    const nogit = await roster(['review', 'report', FILE], { cwd: dir });
    expect(nogit.code, nogit.stderr).toBe(0);
    const plain = JSON.parse(nogit.stdout) as ReviewReport;
    expect(plain.notes).toEqual([
      expect.stringMatching(/is not in a git repository: no commits listed as evidence$/),
    ]);
    expect(plain.items.find((i) => i.address === REVOKED)!.enactment?.commits).toEqual([]);
  }, 180_000);
});

const server = inject('postgres');

describe.skipIf(!server.available)('roster review on the PostgreSQL backend', () => {
  it("takes the applies from the backend's audit log, not from .roster/audit.jsonl", async () => {
    const env = { ROSTER_BACKEND: await freshDatabase(server, 'review'), ROSTER_ACTOR: 'auditor' };
    const dir = copyExample('quickstart');
    const apply = await roster(['apply', '--auto-approve'], { cwd: dir, env });
    expect(apply.code, apply.stderr).toBe(0);
    const start = await roster(['review', 'start', '--period', '2026-Q4'], { cwd: dir, env });
    expect(start.code, start.stderr).toBe(0);
    const file = path.join(dir, FILE);
    const today = new Date().toISOString().slice(0, 10);
    writeFileSync(
      file,
      decideAll(readFileSync(file, 'utf8'), today).replace('decision: change', 'decision: keep'),
    );
    const accounts = path.join(dir, 'service-accounts.yaml');
    const text = readFileSync(accounts, 'utf8');
    writeFileSync(accounts, text.slice(0, text.indexOf('---\n')));
    const enact = await roster(['apply', '--auto-approve'], { cwd: dir, env });
    expect(enact.code, enact.stderr).toBe(0);
    // The local copy of the log is gone: what the report shows can only come from the database.
    rmSync(path.join(dir, '.roster/audit.jsonl'), { force: true });
    const json = await roster(['review', 'report'], { cwd: dir, env });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as ReviewReport;
    expect(report.items.find((i) => i.address === REVOKED)?.enactment).toMatchObject({
      status: 'enacted',
      applies: [{ action: 'deactivate', outcome: 'done', by: 'auditor' }],
    });
    expect(report.notes).toEqual([expect.stringMatching(/is not in a git repository/)]);
    const check = await roster(['review', 'check'], { cwd: dir, env });
    expect(check.code, check.stdout).toBe(0);
  }, 120_000);
});
