import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { stableStringify } from '../plan/canonical.js';
import type { Plan } from '../plan/types.js';
import type { StateBackend } from '../state/types.js';
import { GroupAppender } from './group-append.js';

/** The audit log's file name in the state directory. */
export const AUDIT_FILE = 'audit.jsonl';

/** What became of one operation of an apply. */
export type AuditOutcome = 'done' | 'failed' | 'pending' | 'skipped';

/** How an apply run ended. */
export type AuditRunOutcome = 'complete' | 'failed' | 'pending' | 'interrupted';

/** Fields every audit line has: which run, who ran it, when. */
interface AuditBase {
  /** The apply run (the journal's `runId`). */
  runId: string;
  /** `$ROSTER_ACTOR`, or the OS user who ran roster. */
  actor: string;
  /** ISO time. */
  at: string;
}

/**
 * One line of `.roster/audit.jsonl`: who changed which account when, for the review after an
 * incident. Never a secret value — addresses, ids, actions, outcomes and error messages only.
 */
export type AuditEntry =
  | (AuditBase & {
      type: 'apply-start';
      /** `sha256:` of the plan document as applied (canonical JSON, sorted keys). */
      planHash: string;
      /** `plan` (planned by this run) or the saved plan file applied. */
      source: string;
      changes: number;
    })
  | (AuditBase & {
      type: 'operation';
      address: string;
      action: string;
      outcome: AuditOutcome;
      /** The system's id of the object, when known. */
      id?: string;
      message?: string;
    })
  | (AuditBase & {
      type: 'reconcile';
      address: string;
      /** The journal's operation that a crashed run left unfinished. */
      action: string;
      /** `adopted` into state, `forgotten` (gone), `removed` (a replaced object), `retry` (left to the plan). */
      outcome: 'adopted' | 'forgotten' | 'removed' | 'retry';
      id?: string;
      message?: string;
    })
  | (AuditBase & {
      type: 'apply-finish';
      planHash: string;
      outcome: AuditRunOutcome;
      counts: Record<AuditOutcome, number>;
    });

/** The audit log of `stateDir`. */
export function auditPath(stateDir: string): string {
  return path.join(stateDir, AUDIT_FILE);
}

/** `sha256:<hex>` of the plan's canonical JSON: the plan a reviewer approved, as applied. */
export function planHash(plan: Plan): string {
  const { checksum: _ignored, ...rest } = plan as Plan & { checksum?: unknown };
  return `sha256:${createHash('sha256').update(stableStringify(rest)).digest('hex')}`;
}

/** Distributes a union's `Omit` over its members. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a caller records; the log adds run, actor and time. */
export type AuditRecord = DistributiveOmit<AuditEntry, 'runId' | 'actor' | 'at'>;

export interface AuditLogOptions {
  /** The state directory (`.roster/`). */
  stateDir: string;
  runId: string;
  actor: string;
  /** Also given every entry when it keeps an audit trail (a shared backend). */
  backend?: StateBackend;
  /** Where a failure to write the log is reported; the apply itself goes on. */
  log: Logger;
  now?: () => Date;
}

/**
 * The append-only audit log of one apply run: `.roster/audit.jsonl` (mode 0600), one JSON line per
 * entry, written in call order and fsync'd (entries appended meanwhile share a write: group
 * commit); and the state backend's `appendAudit` when it has one.
 */
export class AuditLog {
  readonly file: string;
  readonly #opts: AuditLogOptions;
  #handle: Promise<FileHandle> | undefined;
  #warned = false;
  readonly #appender = new GroupAppender<AuditEntry>(async (entries) => {
    try {
      const handle = await this.#open();
      await handle.appendFile(entries.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
      await handle.datasync();
      await this.#opts.backend?.appendAudit?.(entries);
    } catch (err) {
      // The audit trail must not turn a successful change into a failed apply; say so loudly.
      if (!this.#warned)
        this.#opts.log.warn(`could not write the audit log ${this.file}: ${(err as Error).message}`);
      this.#warned = true;
    }
  });

  constructor(opts: AuditLogOptions) {
    this.#opts = opts;
    this.file = auditPath(opts.stateDir);
  }

  /** Append entries; resolves once they are on disk. A write failure is reported, never thrown. */
  append(...records: AuditRecord[]): Promise<void> {
    const { runId, actor } = this.#opts;
    const at = (this.#opts.now?.() ?? new Date()).toISOString();
    return Promise.all(
      records.map((r) => this.#appender.push({ runId, actor, at, ...r } as AuditEntry)),
    ).then(() => {});
  }

  async close(): Promise<void> {
    await this.#appender.idle();
    const h = this.#handle;
    this.#handle = undefined;
    // A log that could not be opened was reported when it was written to.
    if (h) await h.then((handle) => handle.close()).catch(() => {});
  }

  #open(): Promise<FileHandle> {
    this.#handle ??= open(this.file, 'a', 0o600).then(async (h) => {
      await h.chmod(0o600);
      return h;
    });
    return this.#handle;
  }
}
