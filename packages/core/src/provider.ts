import type { Logger } from './logger.js';
import type { Secret } from './secret.js';

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
  /** Changing it changes what an account can do (roles, permissions, privileges): rated higher risk. */
  privilege?: boolean;
  /** One line for `roster providers` and the docs. */
  description?: string;
}

/** Declaration of one resource kind of a provider. */
export interface KindDefinition {
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
  /** How each operation is carried out in this system. */
  capabilities: Record<Operation, Execution>;
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
}

export interface CheckRequest {
  name: string;
  spec: Record<string, unknown>;
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

/** API usage counters, reported in the plan's `stats`. */
export interface ConnectionStats {
  apiCalls: number;
  throttled: number;
}

/** A live session with one configured system. Operations take one request object and return one result. */
export interface ProviderConnection {
  list(req: ListRequest): Promise<ListResult>;
  read(req: ReadRequest): Promise<ReadResult>;
  create(req: CreateRequest): Promise<CreateResult>;
  update(req: UpdateRequest): Promise<UpdateResult>;
  delete(req: DeleteRequest): Promise<DeleteResult>;
  stats(): ConnectionStats;
  close(): Promise<void>;
}

export interface ConnectRequest {
  /** `metadata.name` of the Provider document. */
  name: string;
  /** The Provider document's `spec` without `credentials`, validated against `configSchema`. */
  config: Record<string, unknown>;
  /** Credential values from `spec.credentials`, as secrets. */
  credentials: Record<string, Secret | undefined>;
  /** Set when `spec.endpoint` is `sandbox`: the directory the sandbox persists in. */
  sandboxDir?: string;
  /** Plan and drift connect read-only; a provider may use separate credentials for that. */
  readOnly: boolean;
  log: Logger;
}

export interface SandboxServeRequest {
  name: string;
  config: Record<string, unknown>;
  credentials: Record<string, Secret | undefined>;
  sandboxDir: string;
  host: string;
  port: number;
  /** Fault and latency switches. */
  faults?: SandboxFaults;
}

export interface SandboxFaults {
  latencyMs?: number;
  /** Share (0–1) of requests answered with a 5xx error. */
  errorRate?: number;
  /** Share (0–1) of requests answered with 429. */
  throttleRate?: number;
  /** Share (0–1) of requests whose connection is dropped. */
  dropRate?: number;
}

export interface SandboxServer {
  url: string;
  close(): Promise<void>;
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
  connect(req: ConnectRequest): Promise<ProviderConnection>;
  /** Serve the sandbox simulator over HTTP (`roster sandbox serve`). */
  serveSandbox?(req: SandboxServeRequest): Promise<SandboxServer>;
}
