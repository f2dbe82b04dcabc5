import type { Logger } from './logger.js';
import type { Permission, PermissionsRequest } from './permissions/types.js';
import type { PolicyRule } from './policy/types.js';
import type { Secret } from './secret.js';
import type { SodPack } from './sod/types.js';

/** A JSON Schema document (draft 2020-12 is what ajv is configured for). */
export type JsonSchema = Record<string, unknown>;

/** How an operation is carried out: roster calls the system, a person does it in the UI, or not at all. */
export type Execution = 'api' | 'manual' | 'none';

/** The operations a kind may support. Deactivation is an `update` of the kind's deactivation attribute. */
export type Operation = 'create' | 'read' | 'update' | 'delete';

/**
 * Rules for one top-level attribute of a kind's `spec`, declared as data so the engine applies them
 * uniformly (no system names in core).
 */
export interface AttributeRule {
  /** Can never change once created. A change is an error at the manifest line, unless `lifecycle.allowReplace`. */
  immutable?: boolean;
  /** Changing it means replacing the object (a new one is created, the old one removed). */
  fixedAtCreation?: boolean;
  /**
   * Values allowed at creation. A declared value outside this list is planned as a create with
   * `createAs`, then an update to the declared value.
   */
  createValues?: readonly unknown[];
  /** The value used at creation when the declared one is not in `createValues`. */
  createAs?: unknown;
  /** Never printed, never in a plan, stored in state only as a salted fingerprint. */
  sensitive?: boolean;
  /** Sent to the system but never read back (e.g. a password). Implies sensitive handling in output. */
  writeOnly?: boolean;
  /** A list compared without regard to order or duplicates. */
  set?: boolean;
  /** The attribute holds `{ref}` (or a list of them) to resources of this kind of the same provider. */
  ref?: string;
  /** Whether roster can read this attribute back from the system (default true). */
  verifiable?: boolean;
  /**
   * Changing it changes what an account can do (roles, permissions, privileges): rated higher risk,
   * and always guarded: a manifest that leaves it out means `absent`, never "not managed", so a right
   * granted by hand is planned back and reported as drift (`lifecycle.ignoreChanges` opts out).
   */
  privilege?: boolean;
  /**
   * What a manifest that leaves this attribute out means (e.g. `[]` for roles, `'off'` for admin
   * privileges). Every optional `privilege` attribute declares one; it must satisfy the attribute's
   * schema. Shown by `roster providers`.
   */
  absent?: unknown;
  /**
   * Writes a declared value the way the system names it, before it is compared or sent (e.g.
   * roster's generic access-right aliases `view`/`edit` as Intacct's `readonly`/`modify`). Pure; it
   * must return the value unchanged when it does not have the expected shape (the schema reports
   * that), and the result must satisfy the attribute's schema.
   */
  normalize?(value: unknown): unknown;
  /**
   * How a change of this attribute on an existing object is made, when it differs from the kind's
   * `update` capability (e.g. a security level that only the system's UI can change). A planned
   * update touching any `manual` attribute is a manual step; roster still sets the `api` ones first.
   */
  update?: Execution;
  /**
   * Kept by roster, never sent to or read from the system (e.g. `credentials`: where the secret the
   * system shows once is stored, and its rotation period). Not diffed against the system.
   */
  local?: boolean;
  /** One line for `roster providers` and the docs. */
  description?: string;
}

/**
 * What a kind is to core, whatever the system calls it. Core never tests a kind's name, only its role:
 * - `account`: an identity an integration signs in as (API user, web services user, integration
 *   account, token). Accounts are what policies judge, what effective permissions are computed for
 *   and shown in plans, what `roster test` signs in as, and what the replacement warning (new
 *   credentials, integrations using the old ones break) is about.
 * - `role`: a set of rights accounts are given (a security level, role or permission profile).
 * - `group`: a collection of accounts (a user group); rights may come through it.
 * - `connector`: a connection or app connector an account is used by or exposes data through.
 */
export type KindRole = 'account' | 'role' | 'group' | 'connector';

/**
 * Declaration of one resource kind of a provider: its spec (schema and rules), identity, removal,
 * role, operations (`api`, `runbook`) and optional abilities. `C` is the provider's connection type.
 */
export interface KindDefinition<C extends ProviderConnection = ProviderConnection> {
  /** What the kind is to core (see `KindRole`): policies, `roster test` and plans look at roles, never names. */
  role: KindRole;
  /** JSON Schema of `spec` (published as `schemas/<type>/<Kind>.schema.json`). */
  schema: JsonSchema;
  description: string;
  /** Rules per top-level `spec` attribute. Attributes not listed have no special rule. */
  attributes: Record<string, AttributeRule>;
  /** What removing the resource from the manifests does by default. */
  deleteMode: 'delete' | 'deactivate';
  /** `lifecycle.onRemove` values a manifest may choose (the default is `deleteMode`). */
  onRemoveOptions?: ReadonlyArray<'delete' | 'deactivate'>;
  /** For kinds that are deactivated rather than deleted: which attribute, and the value that means "deactivated". */
  deactivation?: {
    attribute: string;
    value: unknown;
    /** The value that reactivates the object when the manifest does not set the attribute. */
    activeValue: unknown;
  };
  /**
   * The kind's operations on the system's API, each optional: an operation this object lacks is
   * manual when `runbook` has a step for it, and not possible otherwise (`kindCapabilities` derives
   * `api | manual | none` from presence, so there is no separate map to keep in step).
   */
  api?: KindApi<C>;
  /**
   * Why `roster test` cannot sign in as accounts of this kind (e.g. "an integration account cannot
   * log on to Proliance"), shown in its table instead of a generic "not available".
   */
  untestable?: string;
  /**
   * A warning the plan shows whenever it rotates credentials of this kind, for systems where a
   * rotation has a side effect the reviewer must plan for (e.g. a password reset that breaks every
   * integration signed in with the old password until it gets the new one).
   */
  rotationWarning?: { code: string; message: string };
  /**
   * The system's own record of when an account was last used, where it keeps one: the field
   * (e.g. `userinfo lastLoginDate`) and the vendor source that documents it. Its `list`/`read`
   * report the value as `RemoteObject.lastUsedAt`; the inventory cites `field`. Absent: the system
   * records no such thing, and the inventory falls back to the last `roster test` sign-in.
   */
  lastUsed?: { field: string; source: string };
  /**
   * What a resource of this kind can do (accounts: through their security levels, roles, groups
   * and connectors; possibly across providers through the world's references). Plans show what
   * each account gains and loses. Pure.
   */
  permissions?(req: PermissionsRequest): Permission[];
  /**
   * Values the object produces that other resources may wire in with `{ ref, output }` (e.g. an
   * API user's generated key, a contact's id). Sensitive outputs flow in memory only.
   */
  outputs?: Record<string, { description: string; sensitive?: boolean }>;
  /** The system's own identity of the object, derived from its spec (e.g. a user ID). */
  naturalKey(spec: Record<string, unknown>): string;
  /** Name of the spec attribute that holds the natural key (positions errors about it). */
  naturalKeyAttribute: string;
  /**
   * Checks on one resource's desired spec that JSON Schema cannot express (pure, no I/O).
   * Paths are JSON pointers into `spec`, used to point at the manifest line.
   */
  check?(req: CheckRequest): CheckResult;
  /** Human-readable steps an update of these attributes takes, in order, when the system imposes one. */
  updateSteps?(req: { changed: readonly string[] }): string[];
  /**
   * The steps a person takes in the system's UI, per manual operation, from the vendor's procedure
   * (pure, no I/O). An operation with a step here and no `api` method is manual; an attribute whose
   * rule says `update: 'manual'` needs the `update` step.
   */
  runbook?: KindRunbook;
}

/** The runbook of a kind: one step builder per manual operation it supports. */
export type KindRunbook = Partial<Record<ManualOperation, (req: RunbookRequest) => RunbookStep>>;

/** A kind operation's request: the operation's own fields and the connection `connect` opened. */
export type KindRequest<R, C> = R & { connection: C };

/**
 * A kind's API operations. Each takes one request object carrying the provider's connection and
 * returns one result; a kind implements exactly what its system offers by API, never a method that
 * only throws. `list` and `read` together make the kind readable (bulk refresh, and by id).
 */
export interface KindApi<C = ProviderConnection> {
  /** Every object of the kind. */
  list?(req: KindRequest<ListRequest, C>): Promise<ListResult>;
  /** One object by id. */
  read?(req: KindRequest<ReadRequest, C>): Promise<ReadResult>;
  create?(req: KindRequest<CreateRequest, C>): Promise<CreateResult>;
  /** Also deactivation: an update of the `deactivation` attribute. */
  update?(req: KindRequest<UpdateRequest, C>): Promise<UpdateResult>;
  delete?(req: KindRequest<DeleteRequest, C>): Promise<DeleteResult>;
  /** New credentials by API (kinds whose spec has `credentials` with `rotateAfterDays`); returns the secrets to store. */
  rotate?(req: KindRequest<RotateRequest, C>): Promise<OperateResult>;
  /** `roster test`: sign in as the account and read what its connections need. */
  test?(req: KindRequest<TestRequest, C>): Promise<TestResult>;
}

/**
 * What a manual step does. `reconfirm` re-checks attested attributes whose attestation expired;
 * `rotate` replaces the credentials (a new secret or token, stored where `credentials` points).
 */
export type ManualOperation = 'create' | 'update' | 'deactivate' | 'delete' | 'reconfirm' | 'rotate';

export interface RunbookRequest {
  operation: ManualOperation;
  kind: string;
  address: string;
  /** `metadata.name` of the resource. */
  name: string;
  naturalKey: string;
  /**
   * All desired attributes (without `local` ones); references as `{ ref }` holding the target's
   * natural key, which is what the UI shows.
   */
  attributes: Record<string, unknown>;
  /** update: the attributes to set by hand, with their new values. */
  changes?: Record<string, unknown>;
  /** update, deactivate, delete, reconfirm: the object as last read or recorded. */
  prior?: Record<string, unknown>;
  /** reconfirm: the attested attributes to check again. */
  reconfirm?: readonly string[];
}

/** One numbered step of a runbook: the system, the exact UI path and every value to enter. */
export interface RunbookStep {
  /** The system's name as operators know it, e.g. its product name. */
  system: string;
  /** One line: what the step achieves. */
  title: string;
  /** Menu path in the UI, outermost first. */
  uiPath: string[];
  /** Every field to set, in the order the UI shows them. Sensitive values never appear here. */
  fields: Array<{ label: string; value: string }>;
  notes?: string[];
  /**
   * Values the system shows once at the end of the step (a generated secret, a token). The operator
   * stores each where the manifest's `spec.credentials[credential]` points; roster names that place.
   */
  secrets?: Array<{ label: string; credential: string }>;
}

export interface CheckRequest {
  name: string;
  spec: Record<string, unknown>;
}

export interface ProviderCheckRequest {
  /** The provider instance's `metadata.name`. */
  provider: string;
  /** Its configuration (the Provider document's `spec` without `credentials`). */
  config: Record<string, unknown>;
  /** Every desired resource of this provider instance; references as `{ ref: <metadata.name> }`. */
  resources: CheckedResource[];
  /**
   * Resources of other providers (with their provider's `type`) that these reference, and what
   * those reference in turn (e.g. a managed account and its security level), so a provider can
   * check what a connection's account may do in its own system.
   */
  referenced: Array<CheckedResource & { provider: string; providerType: string }>;
}

/** A desired resource as checks see it (secrets in `credentials` stay `Secret`s). */
export interface CheckedResource {
  address: string;
  kind: string;
  name: string;
  labels: Record<string, string>;
  spec: Record<string, unknown>;
}

export interface ProviderCheckResult {
  /**
   * `path` is a JSON pointer into the spec of the resource at `address`; `Provider/<name>` (the
   * provider instance's own address) places a finding about its configuration at its document.
   */
  diagnostics: Array<{
    severity: 'error' | 'warning' | 'info';
    code: string;
    message: string;
    address: string;
    path: string;
  }>;
}

export interface CheckResult {
  diagnostics: Array<{ severity: 'error' | 'warning' | 'info'; code: string; message: string; path: string }>;
}

/**
 * An object as read from the system, in the shape of the kind's `spec` (references as
 * `{ ref: <natural key of the target> }`).
 */
export interface RemoteObject {
  /** The system's id used for reads and writes (e.g. Intacct `key`). */
  id: string;
  naturalKey: string;
  attributes: Record<string, unknown>;
  /** True when the object exists but is deactivated (per the kind's `deactivation`). */
  deactivated?: boolean;
  /**
   * Set when an object with this natural key exists but cannot be managed as this kind
   * (e.g. an Intacct standard user holding the ID a web services user asks for). The message says why.
   */
  conflict?: string;
  /** Who last changed the object, and when, where the system records it. */
  modifiedBy?: string;
  modifiedAt?: string;
  /** When the system last saw the account used (RFC 3339), from the field `KindDefinition.lastUsed` names. */
  lastUsedAt?: string;
  /** Values of the kind's declared `outputs`, where the system reports them. */
  outputs?: Record<string, unknown>;
}

/** A resolved reference passed to create/update: the target's natural key and, once it exists, its id. */
export interface ResolvedRef {
  ref: string;
  id?: string;
}

export interface ListRequest {
  kind: string;
}
export interface ListResult {
  objects: RemoteObject[];
}
export interface ReadRequest {
  kind: string;
  id: string;
}
export interface ReadResult {
  object: RemoteObject | undefined;
}
export interface CreateRequest {
  kind: string;
  address: string;
  /** Desired attributes, references resolved to `ResolvedRef`. */
  attributes: Record<string, unknown>;
  /** Idempotency token, stable for this planned operation. */
  idempotencyKey: string;
}
export interface CreateResult {
  object: RemoteObject;
}
export interface UpdateRequest {
  kind: string;
  address: string;
  id: string;
  /** The object as last read. */
  prior: RemoteObject;
  /** Only the attributes that change, references resolved. */
  changes: Record<string, unknown>;
  idempotencyKey: string;
}
export interface UpdateResult {
  object: RemoteObject;
}
export interface DeleteRequest {
  kind: string;
  address: string;
  id: string;
  prior: RemoteObject;
}
export type DeleteResult = Record<string, never>;

/** Rotate an account's credentials through the API. */
export interface RotateRequest {
  kind: string;
  address: string;
  id: string;
  prior: RemoteObject;
}

/** A manual step done through a sandbox's console (`apply --sandbox-operator`, `SandboxConsole`). */
export interface OperateRequest {
  kind: string;
  operation: ManualOperation;
  address: string;
  /** `metadata.name` of the resource. */
  name: string;
  naturalKey: string;
  /** create, update: desired attributes, references resolved (target natural key and id). */
  attributes: Record<string, unknown>;
  /** update: the attributes the operator sets by hand. */
  changes?: Record<string, unknown>;
  /** The existing object's id, for every operation but create. */
  id?: string;
  prior?: RemoteObject;
}
export interface OperateResult {
  /** The object after the step, when the system can read it back. */
  object?: RemoteObject;
  /**
   * Values the system showed once (keys are the `credential` names of the runbook step's
   * `secrets`). roster writes them where the manifest's credentials point and nowhere else.
   */
  secrets?: Record<string, Secret>;
}

/** `roster test`: sign in as a managed account and read what its connections need. */
export interface TestRequest {
  kind: string;
  address: string;
  id: string;
  naturalKey: string;
  /** The account's recorded attributes. */
  attributes: Record<string, unknown>;
  /** The account's own credentials, read from where its manifest's `credentials` point. */
  credentials: Record<string, Secret>;
}
export interface TestResult {
  authenticated: boolean;
  /** What was read with the account's credentials to check its permissions, and whether it worked. */
  permission?: { ok: boolean; checked: string };
  /** One sentence: what failed and why (never a secret). */
  message?: string;
}

/** API usage counters, reported in the plan's `stats`. */
export interface ConnectionStats {
  apiCalls: number;
  throttled: number;
}

/**
 * A live session with one configured system, as `Provider.connect` opens it: what every kind's
 * operations share (the client, its counters), passed to them as `connection`. The operations
 * themselves belong to the kinds (`KindDefinition.api`); the session has only its own members.
 */
export interface ProviderConnection {
  /**
   * Plan-time checks that need the system's data (e.g. that the staff member an integration
   * account is made on exists). Called after refresh; errors block the plan like any other.
   * References in `resources[].spec` are `{ ref: <target's natural key> }` (what the system knows).
   */
  validate?(req: { resources: CheckedResource[] }): Promise<ProviderCheckResult>;
  /**
   * Attribute rules the system states about itself, learnt at connect time (e.g. the mutability a
   * SCIM server's `/Schemas` gives), by kind and attribute. Core merges them over the kind's
   * declared rules for this provider instance before it plans, so an attribute the system calls
   * immutable is refused in the plan like one the kind declares immutable.
   */
  attributeRules?(): Record<string, Record<string, Partial<AttributeRule>>>;
  stats(): ConnectionStats;
  close(): Promise<void>;
}

export interface ConnectRequest {
  /** `metadata.name` of the Provider document. */
  name: string;
  /** The Provider document's `spec` without `credentials`, validated against `configSchema`. */
  config: Record<string, unknown>;
  /**
   * Credential values, as secrets: `spec.credentials.read` on a read-only connection when the
   * Provider document gives that set, otherwise the top-level `spec.credentials`. Core chooses, so
   * a provider reads the same keys either way and never sees the other set.
   */
  credentials: Record<string, Secret | undefined>;
  /** Plan, drift and test connect read-only (they never write); apply connects read-write. */
  readOnly: boolean;
  /**
   * True when `credentials` are the Provider document's `credentials.read` set (only ever on a
   * read-only connection). A sandbox may start its simulator with them as a read-only account, so
   * it refuses writes the way the real system refuses a read-only user.
   */
  readCredentials?: boolean;
  /**
   * `--api-budget`: the share (0–1] of a system's remaining hourly request allowance roster may
   * use (Autotask's threshold is shared by every integration of a database). Set only when the
   * flag is given; a provider then prefers it to its own setting.
   */
  apiBudget?: number;
  log: Logger;
}

/** A system roster can manage. A provider package default-exports one object that `satisfies Provider`. */
export interface Provider {
  /** `spec.type` of Provider documents, e.g. the system's short name. */
  type: string;
  displayName: string;
  description: string;
  /** JSON Schema of the Provider document's `spec` (including `type`, `endpoint`, `credentials`). */
  configSchema: JsonSchema;
  kinds: Record<string, KindDefinition>;
  /**
   * Checks across the desired resources of one provider instance that no single resource can
   * answer (e.g. whether an account can reach the data a connector serves). Pure, no I/O.
   */
  check?(req: ProviderCheckRequest): ProviderCheckResult;
  /**
   * Policy rules about this system (ids `<type>.<name>`), run with core's over the plan; a
   * `kind: Policy` manifest configures them.
   */
  policies?: readonly PolicyRule[];
  /**
   * This system's part of segregation-of-duties rule packs, as data (e.g. pack `finance` v1: pairs
   * of its permission names one account must not hold together). Parts of one pack from several
   * providers are joined by id; the policy rule `sod.<pack>` applies it, and `roster sod` reports
   * the conflicts the systems hold now.
   */
  sodRules?: readonly SodPack[];
  connect(req: ConnectRequest): Promise<ProviderConnection>;
}
