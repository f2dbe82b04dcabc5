import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  buildReviewReport,
  checkReview,
  DiagnosticsError,
  type InventoryReport,
  type ParsedReview,
  parseReviewText,
  REVIEW_PERIOD,
  type ReviewReport,
  renderReviewCheckText,
  renderReviewCsv,
  renderReviewFile,
  renderReviewHtml,
  renderReviewStarted,
  startReview,
  UserError,
} from '@roster/core';
import { Command, Option } from 'commander';
import { actorName } from '../actor.js';
import {
  type CommonOptions,
  loadValidProjectFor,
  runContext,
  withAllowEmptyStateOption,
  withApiBudgetOption,
  withCommonOptions,
} from '../context.js';
import { commitsTouching } from '../git-commits.js';
import { out, useColor } from '../output.js';
import { readAuditFor, refreshReviewWorld } from '../review-world.js';

interface ReviewOptions extends CommonOptions {
  allowEmptyState?: boolean;
}

/** The report formats: one renderer each, so a format is one entry. */
const REPORT_FORMATS: Record<
  string,
  (report: ReviewReport, inventory: InventoryReport) => string | Promise<string>
> = {
  json: (report) => JSON.stringify(report, null, 2),
  csv: (report) => renderReviewCsv(report).trimEnd(),
  // One self-contained page (README, "The HTML report"); the graph marks stale accounts from the
  // inventory's findings, which the JSON evidence does not carry.
  html: (report, inventory) => renderReviewHtml({ ...report, findings: inventory.findings }),
};

/** The directory reviews live in by default: `reviews/` of the project directory. */
const REVIEWS_DIR = 'reviews';

export function reviewCommand(setExit: (code: number) => void): Command {
  const review = new Command('review').description(
    'periodic access reviews: freeze the population, record decisions through pull requests, check them, report the evidence',
  );
  review.addCommand(startCommand(setExit));
  review.addCommand(checkCommand(setExit));
  review.addCommand(reportCommand(setExit));
  review.addHelpText(
    'after',
    `
The cycle: roster review start --period 2026-Q4 writes reviews/2026-Q4.yaml (every account the
systems hold, frozen, with hashes); reviewers add decision: {decision: keep|revoke|change, reviewer,
at, comment} per account through pull requests; roster review check passes once every decision is
made by someone other than the owner and every revoke and change is enacted (manifests and apply);
roster review report --format json|csv|html is the evidence.`,
  );
  return review;
}

function reviewCommandBase(name: string): Command {
  return withAllowEmptyStateOption(withApiBudgetOption(withCommonOptions(new Command(name))));
}

function startCommand(setExit: (code: number) => void): Command {
  return reviewCommandBase('start')
    .description('read the systems and freeze the complete population into a new review file')
    .requiredOption('--period <period>', 'the period reviewed, e.g. 2026-Q4 (also 2026-H2, 2026-12, 2026)')
    .option('--out <file>', 'the review file (default: reviews/<period>.yaml in the project directory)')
    .addHelpText(
      'after',
      `
Every account and connection the systems hold (managed, unmanaged, deactivated) is written with
its owner, roles, effective permissions and last use, with refreshHash (the refreshed inventory)
and populationHash (the population without decisions). An existing file is never overwritten.
startedBy is $ROSTER_ACTOR, else the OS user.

Examples:
  $ roster review start --period 2026-Q4
  $ roster review start -f examples/company --period 2026-Q4 --out reviews/2026-Q4.yaml`,
    )
    .action(async (opts: ReviewOptions & { period: string; out?: string }) => {
      if (!REVIEW_PERIOD.test(opts.period))
        throw new UserError(
          `--period ${opts.period} is not a period: use e.g. 2026-Q4, 2026-H2, 2026-12 or 2026`,
        );
      const ctx = runContext(opts);
      const project = await loadValidProjectFor(opts, ctx, setExit);
      if (!project) return;
      const target = opts.out
        ? path.resolve(ctx.cwd, opts.out)
        : path.join(project.projectDir, REVIEWS_DIR, `${opts.period}.yaml`);
      const shown = path.relative(ctx.cwd, target) || target;
      // Before the refresh, so a second start fails fast; the write below refuses it again (`wx`).
      await refuseExisting(target, shown);
      const world = await refreshReviewWorld('review start', opts, ctx, project);
      if (!world) return setExit(1);
      const review = startReview({
        inventory: world.inventory,
        period: opts.period,
        startedAt: new Date().toISOString(),
        startedBy: actorName(),
      });
      await mkdir(path.dirname(target), { recursive: true });
      try {
        await writeFile(target, renderReviewFile(review), { flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') await refuseExisting(target, shown);
        throw e;
      }
      out(renderReviewStarted(review, shown));
      setExit(0);
    });
}

function checkCommand(setExit: (code: number) => void): Command {
  return reviewCommandBase('check')
    .description('check a review: every decision made, not by the owner, and enacted (exit 2 when not)')
    .argument('[file]', 'the review file (default: the last reviews/*.yaml of the project directory)')
    .addHelpText(
      'after',
      `
Checks (one line each, file:line:column): review.missing-decision, review.self-review (the reviewer
is the account's owner or backup owner), review.not-enacted (a revoke: the account is still active
in a system or declared active in a manifest; a change: its permissions are still those frozen, or
the plan still has changes for it), review.population-changed (populationHash mismatch).

Exit codes: 0 the review passes, 2 it does not yet, 1 an error (a malformed file, manifests, a system).`,
    )
    .action(async (file: string | undefined, opts: ReviewOptions) => {
      const ctx = runContext(opts);
      const project = await loadValidProjectFor(opts, ctx, setExit);
      if (!project) return;
      const parsed = await readReview(file, ctx.cwd, project.projectDir);
      const world = await refreshReviewWorld('review check', opts, ctx, project);
      if (!world) return setExit(1);
      const problems = checkReview({
        review: parsed,
        current: world.inventory.accounts,
        declaredActive: world.declaredActive,
        pending: world.pending,
      });
      out(renderReviewCheckText(parsed.review, problems, { color: useColor(process.stdout, opts.color) }));
      setExit(problems.length > 0 ? 2 : 0);
    });
}

function reportCommand(setExit: (code: number) => void): Command {
  return reviewCommandBase('report')
    .description(
      'the evidence of a review for an auditor: population and hash, reviewers, decisions, commits and applies',
    )
    .argument('[file]', 'the review file (default: the last reviews/*.yaml of the project directory)')
    .addOption(
      new Option('--format <format>', 'output format on stdout')
        .choices(Object.keys(REPORT_FORMATS))
        .default('json'),
    )
    .addHelpText(
      'after',
      `
Per revoke and change: the git commits that changed the account's manifest file since the review
started (none, with a note, outside git) and the apply operations on it since the decision (the
state's audit log). JSON: schemas/review-report.schema.json. The report is made whether or not
the review passes (its problems are in it): exit 0, or 1 on an error.

Examples:
  $ roster review report reviews/2026-Q4.yaml > evidence-2026-Q4.json
  $ roster review report --format csv > evidence-2026-Q4.csv
  $ roster review report --format html > evidence-2026-Q4.html`,
    )
    .action(async (file: string | undefined, opts: ReviewOptions & { format: string }) => {
      const ctx = runContext(opts);
      const project = await loadValidProjectFor(opts, ctx, setExit);
      if (!project) return;
      const parsed = await readReview(file, ctx.cwd, project.projectDir);
      const world = await refreshReviewWorld('review report', opts, ctx, project);
      if (!world) return setExit(1);
      const { spec } = parsed.review;
      const files = new Set<string>();
      for (const item of spec.population) if (item.file) files.add(item.file);
      for (const a of world.inventory.accounts) if (a.file) files.add(a.file);
      const git = await commitsTouching({ cwd: ctx.cwd, files: [...files].sort(), since: spec.startedAt });
      const report = buildReviewReport({
        review: parsed,
        current: world.inventory,
        declaredActive: world.declaredActive,
        pending: world.pending,
        commits: git.commits,
        audit: await readAuditFor(ctx),
        policyExceptions: project.policies.exceptions,
        generatedAt: new Date().toISOString(),
        notes: git.note ? [git.note] : [],
      });
      out(await REPORT_FORMATS[opts.format]!(report, world.inventory));
      setExit(0);
    });
}

/** Refuse to start over an existing review: it is evidence, and its decisions would be lost. */
async function refuseExisting(target: string, shown: string): Promise<void> {
  const exists = await access(target).then(
    () => true,
    () => false,
  );
  if (exists)
    throw new UserError(
      `${shown} exists: a review is started once, and its decisions are evidence. Give another --out, or remove the file in git to start over`,
    );
}

/** The review file given, or the last of `reviews/` (periods sort by name), parsed with positions. */
async function readReview(file: string | undefined, cwd: string, projectDir: string): Promise<ParsedReview> {
  const abs = file ? path.resolve(cwd, file) : await lastReview(projectDir);
  const display = file ?? (path.relative(cwd, abs) || abs);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // `roster review check examples/company`: the habit of `-f DIR` commands, answered.
    if (code === 'EISDIR')
      throw new UserError(
        `${display} is a directory: give the review file, or the project with -f ${display}`,
      );
    throw new UserError(`cannot read the review file ${display} (${code ?? 'error'})`);
  }
  const parsed = parseReviewText({ path: abs, display }, text);
  if (!parsed.review) throw new DiagnosticsError(parsed.diagnostics);
  return parsed.review;
}

async function lastReview(projectDir: string): Promise<string> {
  const dir = path.join(projectDir, REVIEWS_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  const last = names
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .at(-1);
  if (!last)
    throw new UserError(
      `no review file in ${dir}: give its path, or start one with roster review start --period …`,
    );
  return path.join(dir, last);
}
