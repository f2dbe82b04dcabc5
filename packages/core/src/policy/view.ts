import type { World, WorldResource } from '../permissions/types.js';
import { rotateAfterDaysOf } from '../plan/local-attributes.js';
import type { PlannedChange } from '../plan/types.js';
import type { KindDefinition } from '../provider.js';
import type { StateDocument } from '../state/types.js';

/**
 * One account (or connection signing in as one) as a custom policy rule sees it: the CEL type
 * `Account`. Documented in README "Policies as code"; `CEL_VIEW_TYPES` declares the same fields to
 * the CEL type checker (a test holds the two to the same keys).
 */
export interface PolicyAccount {
  /** `<provider>/<Kind>/<name>`. */
  address: string;
  /** `metadata.name`. */
  name: string;
  /** The provider's type: the system (e.g. `intacct`). */
  system: string;
  /** `metadata.name` of its Provider document (e.g. `intacct-prod`). */
  provider: string;
  kind: string;
  /** What the kind is to roster: `account`, or `connector` for a connection signing in as one. */
  role: string;
  labels: Record<string, string>;
  /** `labels.owner`, `""` when the manifest gives none. */
  owner: string;
  permissions: {
    /** Effective permission names before the plan (sorted; empty for an account it creates). */
    before: string[];
    /** Effective permission names once the plan is applied (sorted). */
    after: string[];
    gained: string[];
    lost: string[];
  };
  /** Days since roster last saw its credentials issued; null when it never did. */
  credentialAgeDays: number | null;
  /** `credentials.rotateAfterDays`; null when not set. */
  rotateAfterDays: number | null;
  /**
   * When the account was last seen signing in (RFC 3339): its last successful `roster test` sign-in
   * (none of the systems documents a last-login field roster could read); null when never.
   */
  lastUsedAt: string | null;
  /** The plan's changes of this account (none when the plan leaves it alone). */
  changes: PolicyChange[];
}

/** One planned change as a custom policy rule sees it: the CEL type `Change`. */
export interface PolicyChange {
  address: string;
  system: string;
  provider: string;
  kind: string;
  /** `create`, `update`, `replace`, `deactivate`, `delete`, `rotate`, `import`. */
  action: string;
  /** Why, one sentence each (the plan's reasons). */
  reasons: string[];
}

/** The whole plan: the CEL variable `plan` beside `account`. */
export interface PolicyView {
  accounts: PolicyAccount[];
  changes: PolicyChange[];
}

/**
 * The CEL declarations of the view (field → CEL type). `dyn` marks the fields that may be null
 * (CEL has no nullable scalar type but the protobuf wrappers, which the evaluator does not offer).
 */
export const CEL_VIEW_TYPES = {
  Permissions: {
    before: 'list<string>',
    after: 'list<string>',
    gained: 'list<string>',
    lost: 'list<string>',
  },
  Change: {
    address: 'string',
    system: 'string',
    provider: 'string',
    kind: 'string',
    action: 'string',
    reasons: 'list<string>',
  },
  Account: {
    address: 'string',
    name: 'string',
    system: 'string',
    provider: 'string',
    kind: 'string',
    role: 'string',
    labels: 'map<string, string>',
    owner: 'string',
    permissions: 'Permissions',
    credentialAgeDays: 'dyn',
    rotateAfterDays: 'dyn',
    lastUsedAt: 'dyn',
    changes: 'list<Change>',
  },
  Plan: { accounts: 'list<Account>', changes: 'list<Change>' },
} as const;

export interface PolicyViewRequest {
  /** The world before the plan (the same as `after` when the plan changes nothing). */
  before: World;
  after: World;
  /** Addresses of the resources in the manifests: the accounts the view holds. */
  desired: ReadonlySet<string>;
  changes: readonly PlannedChange[];
  state: StateDocument;
  now: Date;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
}

const DAY_MS = 86_400_000;

/** The typed view of a plan that custom policy rules read. Pure. */
export function policyView(req: PolicyViewRequest): PolicyView {
  const typeOf = new Map<string, string>();
  for (const side of [req.before, req.after])
    for (const r of side.resources) typeOf.set(r.provider, r.providerType);
  const changes: PolicyChange[] = req.changes
    .filter((c) => c.action !== 'no-op')
    .map((c) => ({
      address: c.address,
      system: typeOf.get(c.provider) ?? '',
      provider: c.provider,
      kind: c.kind,
      action: c.action,
      reasons: c.reasons.map((r) => r.message),
    }));
  const changesOf = new Map<string, PolicyChange[]>();
  for (const c of changes) changesOf.set(c.address, [...(changesOf.get(c.address) ?? []), c]);
  const accounts: PolicyAccount[] = [];
  for (const r of req.after.resources) {
    if (!req.desired.has(r.address)) continue;
    const kind = req.kindOf(r.provider, r.kind);
    if (kind?.role !== 'account' && kind?.role !== 'connector') continue;
    accounts.push(accountOf(r, kind, req, changesOf.get(r.address) ?? []));
  }
  return { accounts, changes };
}

function accountOf(
  r: WorldResource,
  kind: KindDefinition,
  req: PolicyViewRequest,
  changes: PolicyChange[],
): PolicyAccount {
  const prior = req.before.get(r.address);
  const after = req.after.permissionsOf(r).map((p) => p.name);
  const before = prior ? req.before.permissionsOf(prior).map((p) => p.name) : [];
  const had = new Set(before);
  const has = new Set(after);
  const issued = req.state.resources[r.address]?.credentialsIssuedAt;
  const rotate = rotateAfterDaysOf(r.attributes, kind.attributes);
  return {
    address: r.address,
    name: r.name,
    system: r.providerType,
    provider: r.provider,
    kind: r.kind,
    role: kind.role,
    labels: { ...r.labels },
    owner: r.labels.owner ?? '',
    permissions: {
      before,
      after,
      gained: after.filter((n) => !had.has(n)),
      lost: before.filter((n) => !has.has(n)),
    },
    credentialAgeDays: issued ? Math.floor((req.now.getTime() - Date.parse(issued)) / DAY_MS) : null,
    rotateAfterDays: rotate ?? null,
    lastUsedAt: req.state.resources[r.address]?.lastSignInAt ?? null,
    changes,
  };
}
