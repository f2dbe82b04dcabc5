import type { AuditEntry } from '../apply/audit.js';
import type { JournalEntry } from '../apply/journal.js';
import type { ManualOperation } from '../provider.js';

/** Version of the state file layout. */
export const STATE_FORMAT_VERSION = 1;

/** What roster remembers of one managed object. */
export interface StateResource {
  provider: string;
  kind: string;
  name: string;
  /** The system's id of the object. */
  id: string;
  naturalKey: string;
  /**
   * The attributes roster last applied (the manifest-owned fields), references as natural keys.
   * Sensitive attributes appear only as salted fingerprints (`hmac-sha256:…`).
   */
  attributes: Record<string, unknown>;
  /** Addresses this resource references (for ordering deletes). */
  dependencies: string[];
  /** Fingerprint of the remote object as last seen (detects changes made outside roster). */
  remoteFingerprint?: string;
  /** Lifecycle settings of the manifest, kept so a removed resource is still handled as declared. */
  lifecycle?: { preventDestroy?: boolean; onRemove?: 'delete' | 'deactivate'; ignoreChanges?: string[] };
  /** ISO time of the last apply that touched this resource. */
  appliedAt?: string;
  /**
   * Attributes the system cannot report, as a person confirmed them (their values are in
   * `attributes`): who, when, and how.
   */
  attestations?: Record<string, Attestation>;
  /**
   * ISO time the account's credentials were last issued (created or rotated) as far as roster
   * knows; `credentials.rotateAfterDays` counts from it.
   */
  credentialsIssuedAt?: string;
  /**
   * ISO time of the last successful `roster test` sign-in with the account's own credentials: the
   * inventory's "last used" where the system records none (labelled as such).
   */
  lastSignInAt?: string;
}

/** A person's confirmation of an attribute roster cannot read from the system. */
export interface Attestation {
  /** `$ROSTER_ACTOR`, or the OS user who ran roster. */
  by: string;
  /** ISO time. */
  at: string;
  /**
   * `operator`: confirmed at the step's prompt (or by the sandbox operator); `runbook`: the
   * runbook step was found done on a later run, its readable attributes verified.
   */
  via: 'operator' | 'runbook';
}

/** A manual step roster handed to a person and has not yet seen done. */
export interface PendingStep {
  operation: ManualOperation;
  /** The runbook step's title. */
  title: string;
  /** ISO time the step was first handed out. */
  issuedAt: string;
}

/** The state document: a lineage (one per project), a serial bumped on every write, and resources by address. */
export interface StateDocument {
  version: number;
  lineage: string;
  serial: number;
  resources: Record<string, StateResource>;
  /** Manual steps handed out and not yet done, by address. */
  pending?: Record<string, PendingStep>;
}

/** Who holds a lock, so a blocked run can say so. */
export interface LockInfo {
  id: string;
  pid: number;
  host: string;
  user: string;
  operation: string;
  /** ISO time. */
  createdAt: string;
}

/** Where state lives. The local file backend is the default; a team backend is shared. */
export interface StateBackend {
  /** Human-readable location, e.g. the file path. */
  readonly location: string;
  /** The current state, or a new empty one (fresh lineage, serial 0) if none exists yet. */
  read(): Promise<StateDocument>;
  /**
   * Write `doc` (whose serial must be `expectedSerial + 1`) if the stored serial is still
   * `expectedSerial`; otherwise throw, so two writers never fork the serial.
   */
  write(doc: StateDocument, expectedSerial: number): Promise<void>;
  /** Take the lock or throw a `LockedError` naming the holder; with `timeoutMs`, wait that long for it. */
  lock(req: { operation: string; timeoutMs?: number }): Promise<LockInfo>;
  unlock(lockId: string): Promise<void>;
  /** Remove a lock regardless of holder (`roster force-unlock`); with an id, only that lock. */
  forceUnlock(lockId?: string): Promise<LockInfo | undefined>;
  /**
   * Keep audit entries with the shared state (a team backend), next to `.roster/audit.jsonl`, so
   * who changed which account when is known wherever the state lives. The local backend has none:
   * its state directory already holds the file.
   */
  appendAudit?(entries: readonly AuditEntry[]): Promise<void>;
  /** The audit entries `appendAudit` kept, oldest first (a team backend; access-review evidence). */
  readAudit?(): Promise<AuditEntry[]>;
  /**
   * A shared copy of the write-ahead journal (a team backend), so a run on another machine
   * reconciles what a run that died elsewhere left unfinished. The local file stays the first
   * copy: it is written (and fsync'd) before the remote call.
   */
  journal?: JournalStore;
}

/** Where a team backend keeps the journal entries of its workspace. */
export interface JournalStore {
  append(entries: readonly JournalEntry[]): Promise<void>;
  read(): Promise<JournalEntry[]>;
  /** Replace every entry (after reconciliation or a settled run: what is still unfinished). */
  replace(entries: readonly JournalEntry[]): Promise<void>;
}

/** Thrown when another run holds the state lock. */
export class LockedError extends Error {
  readonly holder: LockInfo;
  constructor(holder: LockInfo, location: string) {
    super(
      `state is locked by pid ${holder.pid} on host ${holder.host} since ${holder.createdAt} (user ${holder.user}, running ${holder.operation}); lock id ${holder.id} (${location}). If that run is gone, run: roster force-unlock ${holder.id}`,
    );
    this.name = 'LockedError';
    this.holder = holder;
  }
}

/** Thrown when the stored serial is not the one a writer expected. */
export class SerialConflictError extends Error {
  constructor(expected: number, actual: number) {
    super(`state changed underneath this run: expected serial ${expected}, found ${actual}; plan again`);
    this.name = 'SerialConflictError';
  }
}
