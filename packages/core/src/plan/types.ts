import type { Diagnostic } from '../diagnostics.js';
import type { PermissionChange } from '../permissions/types.js';
import type { Execution, ManualOperation, RunbookStep } from '../provider.js';

/** Version of the JSON plan format (`schemas/plan.schema.json`). */
export const PLAN_FORMAT_VERSION = 1;

export type Action =
  | 'create'
  | 'update'
  | 'replace'
  | 'deactivate'
  | 'delete'
  | 'rotate'
  | 'import'
  | 'no-op';

export type Risk = 'low' | 'medium' | 'high';

/** Why a change is planned: the attribute path, the rule that applies, and a sentence. */
export interface Reason {
  /** JSON pointer into `spec`, or `''` for the whole object. */
  path: string;
  /** e.g. `changed`, `immutable`, `fixedAtCreation`, `createValues`, `deleteMode`, `removed`, `adopt`. */
  rule: string;
  message: string;
}

/** An RFC 6902 operation (sensitive values masked). */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

export interface PlannedChange {
  /** Position of the change in `changes` (stable id within the plan; `dependsOn` uses these). */
  index: number;
  address: string;
  provider: string;
  kind: string;
  action: Action;
  reasons: Reason[];
  /** From `before` to `after`. */
  patch: PatchOperation[];
  /** Manifest-owned attributes as they are in the system (null when the object does not exist). */
  before: Record<string, unknown> | null;
  /** As they will be (null when the object goes away). */
  after: Record<string, unknown> | null;
  execution: Execution;
  risk: Risk;
  /** Ordered steps the system imposes within this change, when there are any. */
  steps?: string[];
  /** The system's id, when the object exists. */
  id?: string;
  naturalKey: string;
  /** Fingerprint of the remote object at plan time; apply refuses when it changed since. */
  remoteFingerprint?: string;
  /** `metadata.name` of the resource. */
  name: string;
  /** Addresses the resource references (kept in state to order later removals). */
  dependencies: string[];
  /** The manifest's lifecycle settings that matter once it is removed. */
  lifecycle?: { preventDestroy?: boolean; onRemove?: 'delete' | 'deactivate'; ignoreChanges?: string[] };
  /** Indexes of the changes this one must wait for. */
  dependsOn: number[];
  /** For `execution: manual`: the step a person performs in the system's UI. */
  manual?: ManualPart;
  /**
   * Attributes of `after` that roster cannot read back and that rest on a person's confirmation
   * (attested); all others are verified by reading the system.
   */
  attested?: string[];
  /**
   * Attested attributes that apply records without a prompt, because a runbook step handed out
   * earlier was found done with every readable attribute as declared.
   */
  attestFromRunbook?: string[];
  /**
   * Where the resource's `credentials` are kept (`env:NAME`, `file:/abs/path`; never values), so a
   * secret the system shows once is stored there and nowhere else.
   */
  credentials?: Record<string, string>;
}

/** The manual part of a change. */
export interface ManualPart {
  operation: ManualOperation;
  /** What the person does, from the provider's runbook. */
  runbook: RunbookStep;
  /** Attributes of an update that roster sets through the API before the manual step. */
  apiAttributes: string[];
  /** Attributes the person sets or confirms (create: all of them). */
  attributes: string[];
}

/** A policy rule firing on a resource (see `roster providers` for the rules). */
export interface Finding {
  /** Rule id, e.g. `labels-required`, `intacct.web-services-admin`. */
  policy: string;
  /** `error` fails plan and blocks apply, unless excepted. */
  severity: 'error' | 'warning' | 'info';
  address: string;
  message: string;
  /** The manifest line the finding is about. */
  file?: string;
  line?: number;
  column?: number;
  /** Accepted by a Policy exception: reported, never blocking. */
  excepted?: { reason: string; file: string; line: number };
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  deactivate: number;
  delete: number;
  rotate: number;
  import: number;
  manual: number;
}

export interface PlanStats {
  apiCalls: number;
  apiCallsByProvider: Record<string, number>;
  throttled: number;
  refreshMs: number;
  planMs: number;
  /** How the systems were read (`roster plan --refresh-mode`); absent when nothing was read. */
  refreshMode?: 'bulk' | 'per-object';
}

/** An attribute drifted in the system since roster last applied it. */
export interface DriftedAttribute {
  path: string;
  expected: unknown;
  actual: unknown;
}

export interface DriftEntry {
  address: string;
  provider: string;
  kind: string;
  /** `changed` outside roster, or `deleted` outside roster. */
  status: 'changed' | 'deleted';
  attributes: DriftedAttribute[];
  modifiedBy?: string;
  modifiedAt?: string;
}

/** One attested attribute of a managed resource. */
export interface AttestationEntry {
  address: string;
  attribute: string;
  by: string;
  at: string;
  via: 'operator' | 'runbook';
  expiresAt: string;
  expired: boolean;
}

/** A plan: what apply will do, exactly. Pure data; saved plans are this document as JSON. */
export interface Plan {
  formatVersion: number;
  /** `plan` or `refresh-only`. */
  mode: 'normal' | 'refresh-only';
  lineage: string;
  serial: number;
  createdAt: string;
  summary: PlanSummary;
  changes: PlannedChange[];
  drift: DriftEntry[];
  /** Attributes roster cannot read, as people confirmed them (from state), with their expiry. */
  attestations: AttestationEntry[];
  findings: Finding[];
  /**
   * Accounts (and connections) whose effective permissions the plan changes, across providers:
   * what each gains and loses (security levels/roles → permissions, groups → connectors).
   * Absent from plans made without refreshing (nothing to compare).
   */
  permissions?: PermissionChange[];
  diagnostics: Diagnostic[];
  stats: PlanStats;
  /** Manifest files the plan was made from (relative paths). */
  sources: string[];
  /**
   * Replacements the plan contains that are not allowed yet (`lifecycle.allowReplace` or `--replace`).
   * Apply refuses while this is non-empty.
   */
  blockedReplacements: string[];
  /** Addresses to drop from state without any call: their objects are already gone or deactivated. */
  forget: string[];
  /** In refresh-only plans: state entries to overwrite with what the system has now. */
  accept: Array<{
    address: string;
    attributes: Record<string, unknown>;
    remoteFingerprint: string;
    /** The manifest's lifecycle settings, when they changed (recorded in state). */
    lifecycle?: { preventDestroy?: boolean; onRemove?: 'delete' | 'deactivate'; ignoreChanges?: string[] };
  }>;
  /** The Provider documents the plan needs to connect at apply time (credentials as references, never values). */
  providers: PlanProvider[];
}

/** A provider configuration as saved in a plan: credentials are kept as their `env:`/`file:` origins. */
export interface PlanProvider {
  name: string;
  type: string;
  config: Record<string, unknown>;
  /** Origins of the write credentials (`spec.credentials`): what apply reads again and signs in with. */
  credentials: Record<string, string>;
  /**
   * Origins of `spec.credentials.read`, when given: what the plan was read with. Apply never reads
   * them; their presence lets it refuse clearly when the plan has no write credentials.
   */
  readCredentials?: Record<string, string>;
  sandbox: boolean;
}
