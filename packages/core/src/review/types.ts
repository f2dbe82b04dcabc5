import type { InventoryAccount, InventoryConflict, InventoryFinding } from '../inventory/types.js';

/** A reviewer's decision on one account. */
export type ReviewVerdict = 'keep' | 'revoke' | 'change';

/**
 * What reviewers write in the review file, per account, through a pull request.
 * `reviewer` must not be the account's owner (`roster review check`).
 */
export interface ReviewDecision {
  decision: ReviewVerdict;
  reviewer: string;
  /** RFC 3339 date (or date-time) of the decision. */
  at: string;
  comment: string;
}

/**
 * One account of the frozen population, as `roster review start` writes it into the review file:
 * what it held at the start of the period, and the reviewer's decision once made.
 */
export interface ReviewItem {
  address: string;
  /** The system's natural key: finds the account again once no manifest declares it (revoked). */
  naturalKey: string;
  /** The system's id, where roster knew it. */
  id: string | null;
  system: string;
  provider: string;
  kind: string;
  status: InventoryAccount['status'];
  owner: string | null;
  backupOwner: string | null;
  purpose: string | null;
  roles: string[];
  /** Effective permission names at the start (sorted). */
  permissions: string[];
  lastUsedAt: string | null;
  /** The manifest file that declared the account at the start (commits to it are evidence). */
  file?: string;
  decision?: ReviewDecision;
}

/**
 * The review file `reviews/<period>.yaml` (kind `AccessReview`, schemas/review.schema.json). Its
 * population is frozen: `populationHash` is the SHA-256 of the canonical JSON of the items without
 * their decisions, so a population edited after the start is detected.
 */
export interface AccessReview {
  apiVersion: 'roster/v1';
  kind: 'AccessReview';
  metadata: { name: string };
  spec: {
    /** e.g. `2026-Q4`. */
    period: string;
    startedAt: string;
    startedBy: string;
    /** `sha256:<hex>` of the refreshed inventory the population was taken from. */
    refreshHash: string;
    /** `sha256:<hex>` of the population without decisions. */
    populationHash: string;
    population: ReviewItem[];
  };
}

/** Why `roster review check` fails. */
export interface ReviewProblem {
  /** `review.missing-decision`, `review.self-review`, `review.not-enacted`, `review.population-changed`. */
  code: string;
  address?: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** What enacted a `revoke` or `change`: the commits that changed the manifests, the applies. */
export interface ReviewEnactment {
  status: 'enacted' | 'pending' | 'not-needed';
  commits: ReviewCommit[];
  applies: ReviewApply[];
}

/** A git commit that changed an account's manifest file after the review started. */
export interface ReviewCommit {
  sha: string;
  /** Committer date, RFC 3339. */
  date: string;
  author: string;
  subject: string;
  /** The files it changed among those asked about (relative to the working directory). */
  files: string[];
}

/** An apply operation on an account after its decision, from the state's audit log. */
export interface ReviewApply {
  at: string;
  by: string;
  /** The apply run (audit `runId`). */
  runId: string;
  /** Not in the audit log: absent unless a backend records it. */
  serial?: number;
  action: string;
  outcome: string;
}

/**
 * `roster review report --format json|csv|html` (schemas/review-report.schema.json): the evidence
 * an auditor asks for.
 */
export interface ReviewReport {
  formatVersion: 1;
  period: string;
  startedAt: string;
  startedBy: string;
  generatedAt: string;
  population: { size: number; hash: string; refreshHash: string; intact: boolean };
  reviewers: Array<{ name: string; decisions: number; first: string; last: string }>;
  totals: Record<ReviewVerdict | 'missing', number>;
  items: Array<ReviewItem & { enactment?: ReviewEnactment }>;
  /** Decisions not yet enacted, and Policy exceptions in force over the population. */
  openExceptions: Array<{ address: string; kind: 'pending-decision' | 'policy-exception'; detail: string }>;
  /** SoD conflicts among the population at report time (for the graph and the highlights). */
  conflicts: InventoryConflict[];
  /** The accounts as they are now, for the HTML graph (account → groups/roles → permissions). */
  current: InventoryAccount[];
  problems: ReviewProblem[];
  /** What the evidence could not include, e.g. `not a git repository: no commits listed`. */
  notes: string[];
  /** Inventory findings among `current` (stale, no owner), for the HTML highlights; optional. */
  findings?: InventoryFinding[];
}
