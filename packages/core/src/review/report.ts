import type { AuditEntry } from '../apply/audit.js';
import type { InventoryReport } from '../inventory/types.js';
import type { SourcePosition } from '../manifest/types.js';
import { checkReview } from './check/check-review.js';
import { currentAccount, enactmentOf } from './enactment.js';
import { populationHash } from './hash.js';
import type { ParsedReview } from './parse-file.js';
import type {
  ReviewApply,
  ReviewCommit,
  ReviewEnactment,
  ReviewItem,
  ReviewReport,
  ReviewVerdict,
} from './types.js';

/** A Policy exception, as the project's policy settings hold it. */
export interface ReviewPolicyException {
  rule: string;
  reason: string;
  position: SourcePosition;
  matcher: { test(address: string): boolean };
}

/** Everything the evidence is made of; the CLI gathers it (git, the audit log, a refresh). */
export interface ReviewReportInput {
  review: ParsedReview;
  /** The inventory of a fresh refresh. */
  current: InventoryReport;
  declaredActive: ReadonlySet<string>;
  pending: ReadonlySet<string>;
  /** Commits that changed the population's manifest files (`git log`), newest first. */
  commits: readonly ReviewCommit[];
  /** The state's audit log, oldest first. */
  audit: readonly AuditEntry[];
  policyExceptions: readonly ReviewPolicyException[];
  generatedAt: string;
  /** What could not be gathered (no git repository). */
  notes?: readonly string[];
}

/**
 * The evidence of a review (`schemas/review-report.schema.json`): the frozen population and
 * whether it is intact, who decided what and when, and for each `revoke` and `change` the commits
 * that changed the account's manifest file since the review started and the applies that touched
 * the account after the decision. Pure.
 */
export function buildReviewReport(input: ReviewReportInput): ReviewReport {
  const { spec } = input.review.review;
  const world = {
    current: input.current.accounts,
    declaredActive: input.declaredActive,
    pending: input.pending,
  };
  const started = timeOf(spec.startedAt);
  const commits = input.commits.filter((c) => timeOf(c.date) >= started);
  const items = spec.population.map((item): ReviewReport['items'][number] => {
    if (!item.decision) return item;
    const state = enactmentOf(item, world);
    const now = currentAccount(item, world.current);
    const enactment: ReviewEnactment = {
      status: state.status,
      commits: state.status === 'not-needed' ? [] : commitsFor(item, now?.file, commits),
      applies: state.status === 'not-needed' ? [] : appliesFor(item, now?.address, input.audit, started),
    };
    return { ...item, enactment };
  });
  const pendingItems = items.flatMap((item) => {
    if (item.enactment?.status !== 'pending') return [];
    const state = enactmentOf(item, world);
    const why = state.status === 'pending' ? state.why : '';
    return [
      {
        address: item.address,
        kind: 'pending-decision' as const,
        detail: `${item.decision!.decision} by ${item.decision!.reviewer} on ${item.decision!.at}: ${why}`,
      },
    ];
  });
  const policyExceptions = spec.population.flatMap((item) =>
    input.policyExceptions
      .filter((e) => e.matcher.test(item.address))
      .map((e) => ({
        address: item.address,
        kind: 'policy-exception' as const,
        detail: `${e.rule}: ${e.reason} (${e.position.file}:${e.position.line})`,
      })),
  );
  return {
    formatVersion: 1,
    period: spec.period,
    startedAt: spec.startedAt,
    startedBy: spec.startedBy,
    generatedAt: input.generatedAt,
    population: {
      size: spec.population.length,
      hash: spec.populationHash,
      refreshHash: spec.refreshHash,
      intact: populationHash(spec.population) === spec.populationHash,
    },
    reviewers: reviewersOf(spec.population),
    totals: totalsOf(spec.population),
    items,
    openExceptions: [...pendingItems, ...policyExceptions],
    conflicts: input.current.conflicts,
    current: input.current.accounts,
    problems: checkReview({ review: input.review, ...world }),
    notes: [...(input.notes ?? [])],
  };
}

/** Commits that changed the file declaring the account at the start, or declaring it now. */
function commitsFor(
  item: ReviewItem,
  fileNow: string | undefined,
  commits: readonly ReviewCommit[],
): ReviewCommit[] {
  const files = new Set([item.file, fileNow].filter((f): f is string => f !== undefined));
  if (files.size === 0) return [];
  return commits
    .filter((c) => c.files.some((f) => files.has(f)))
    .map((c) => ({ ...c, files: c.files.filter((f) => files.has(f)) }));
}

/** Operations of applies on the account, done after the decision (and after the review started). */
function appliesFor(
  item: ReviewItem,
  addressNow: string | undefined,
  audit: readonly AuditEntry[],
  started: number,
): ReviewApply[] {
  const addresses = new Set([item.address, addressNow].filter((a): a is string => a !== undefined));
  // A decision dated by day alone would take in the applies of that whole day, those before the
  // review started too: the later of the two bounds it.
  const decided = Math.max(timeOf(item.decision!.at), started);
  const out: ReviewApply[] = [];
  for (const e of audit) {
    if (e.type !== 'operation' || !addresses.has(e.address) || timeOf(e.at) < decided) continue;
    out.push({ at: e.at, by: e.actor, runId: e.runId, action: e.action, outcome: e.outcome });
  }
  return out;
}

function reviewersOf(population: readonly ReviewItem[]): ReviewReport['reviewers'] {
  const byName = new Map<string, { name: string; decisions: number; first: string; last: string }>();
  for (const { decision } of population) {
    if (!decision) continue;
    const r = byName.get(decision.reviewer);
    if (!r)
      byName.set(decision.reviewer, {
        name: decision.reviewer,
        decisions: 1,
        first: decision.at,
        last: decision.at,
      });
    else {
      r.decisions += 1;
      if (timeOf(decision.at) < timeOf(r.first)) r.first = decision.at;
      if (timeOf(decision.at) > timeOf(r.last)) r.last = decision.at;
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function totalsOf(population: readonly ReviewItem[]): Record<ReviewVerdict | 'missing', number> {
  const totals = { keep: 0, revoke: 0, change: 0, missing: 0 };
  for (const { decision } of population) totals[decision?.decision ?? 'missing'] += 1;
  return totals;
}

/** Milliseconds of an RFC 3339 date or date-time (a date is its UTC midnight). */
function timeOf(at: string): number {
  const t = Date.parse(at);
  return Number.isNaN(t) ? 0 : t;
}
