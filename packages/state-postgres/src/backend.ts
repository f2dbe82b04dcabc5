import {
  type AuditEntry,
  describeLockInfo,
  emptyStateDocument,
  formatWait,
  type JournalEntry,
  type JournalStore,
  LockedError,
  type LockInfo,
  type Logger,
  newLockInfo,
  parseStateDocument,
  type Secret,
  SerialConflictError,
  type StateDocument,
  serializeStateDocument,
  UserError,
  WORKSPACE_NAME_PATTERN,
  type WorkspaceBackend,
} from '@roster/core';
import type pg from 'pg';
import { PostgresConnectionPool } from './connection-pool.js';
import { loadPg } from './load-pg.js';
import { migrate } from './migrations.js';

export { loadPg, pgMissingError } from './load-pg.js';

/** Workspace names: short, and safe in messages and lock keys. */
export const WORKSPACE_PATTERN = WORKSPACE_NAME_PATTERN;

export interface PostgresStateBackendOptions {
  /** `postgres://user:password@host:port/database`, from `${env:…}` (kept a `Secret`). */
  url: Secret | string;
  /** One row per workspace (`--workspace`, default `default`). */
  workspace?: string;
  logger?: Logger;
  /** Default `--lock-timeout` (ms). */
  lockTimeoutMs?: number;
  /** How long to wait for a connection (ms, default 10 s). */
  connectTimeoutMs?: number;
  /**
   * Connections shared with other workspaces' backends (a fleet run's tenants), owned by the
   * caller, who closes it: `url` and `connectTimeoutMs` are then the pool's. Without it the backend
   * opens a pool of its own, closed with it.
   */
  pool?: PostgresConnectionPool;
}

const reveal = (url: Secret | string) => (typeof url === 'string' ? url : url.reveal());

/** The URL without its password (and without query parameters, which may carry one). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/**
 * The team state backend (DESIGN §5) on PostgreSQL: one row per workspace holding lineage, serial
 * and the state document; writes in a transaction that compares and sets the serial; the lock is
 * `pg_try_advisory_lock` on a key per workspace, held by a session of its own, so PostgreSQL
 * releases it when that session ends, however the run ended; who holds it is recorded in a table
 * so a blocked run can say so. The schema is created on first use (versioned migrations).
 */
export class PostgresStateBackend implements WorkspaceBackend {
  readonly location: string;
  readonly workspace: string;
  readonly workspacesLocation: string;
  readonly #opts: PostgresStateBackendOptions;
  readonly #url: Secret | string;
  /** The pool this backend queries through: its own, or one shared with other workspaces. */
  readonly #connections: PostgresConnectionPool;
  /** True when the pool is the backend's own (closed with it). */
  readonly #ownsPool: boolean;
  readonly #logger: Logger | undefined;
  readonly #lockTimeoutMs: number | undefined;
  readonly #connectTimeoutMs: number;
  /** The session holding this run's advisory lock. */
  #lockSession: { client: pg.Client; info: LockInfo } | undefined;

  constructor(opts: PostgresStateBackendOptions) {
    const workspace = opts.workspace ?? 'default';
    if (!WORKSPACE_PATTERN.test(workspace))
      throw new UserError(
        `workspace ${JSON.stringify(workspace)} is not a valid name: lowercase letters, digits, '.', '_' and '-', at most 63 characters`,
      );
    this.workspace = workspace;
    this.#opts = opts;
    this.#url = opts.pool?.url ?? opts.url;
    this.workspacesLocation = redactUrl(reveal(this.#url));
    this.location = `${this.workspacesLocation} (workspace ${workspace})`;
    this.#logger = opts.logger;
    this.#lockTimeoutMs = opts.lockTimeoutMs;
    this.#ownsPool = opts.pool === undefined;
    this.#connections =
      opts.pool ??
      new PostgresConnectionPool({
        url: opts.url,
        max: 2,
        ...(opts.connectTimeoutMs !== undefined ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
        ...(opts.logger ? { logger: opts.logger } : {}),
      });
    this.#connectTimeoutMs = this.#connections.connectTimeoutMs;
  }

  #pool(): Promise<pg.Pool> {
    return this.#connections.pool();
  }

  async read(): Promise<StateDocument> {
    await this.#ensureSchema();
    const r = await this.#query<{ document: unknown }>(
      'SELECT document FROM roster_state WHERE workspace = $1',
      [this.workspace],
    );
    const row = r.rows[0];
    if (!row) return emptyStateDocument();
    return parseStateDocument(JSON.stringify(row.document), this.location);
  }

  async write(doc: StateDocument, expectedSerial: number): Promise<void> {
    if (doc.serial !== expectedSerial + 1)
      throw new Error(
        `state write for ${this.location}: the document's serial must be ${expectedSerial + 1}, got ${doc.serial}`,
      );
    // Round-trip through the reader: roster never stores state it cannot read back.
    const text = serializeStateDocument(doc);
    parseStateDocument(text, `about to be written to ${this.location}`);
    await this.#ensureSchema();
    const client = await this.#connect();
    try {
      await client.query('BEGIN');
      const current = await client.query<{ serial: string; lineage: string }>(
        'SELECT serial, lineage FROM roster_state WHERE workspace = $1 FOR UPDATE',
        [this.workspace],
      );
      const row = current.rows[0];
      const stored = row ? Number(row.serial) : 0;
      if (stored !== expectedSerial) throw new SerialConflictError(expectedSerial, stored);
      if (row && row.lineage !== doc.lineage)
        throw new UserError(
          `refusing to write state to ${this.location}: it has lineage ${row.lineage}, but the state being written has lineage ${doc.lineage} (another project's state; check --workspace)`,
        );
      if (row)
        await client.query(
          'UPDATE roster_state SET serial = $2, lineage = $3, document = $4::jsonb, updated_at = now() WHERE workspace = $1',
          [this.workspace, doc.serial, doc.lineage, text],
        );
      else
        await client.query(
          'INSERT INTO roster_state (workspace, lineage, serial, document) VALUES ($1, $2, $3, $4::jsonb)',
          [this.workspace, doc.lineage, doc.serial, text],
        );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      // Two first writes racing: the loser's INSERT meets the winner's row.
      if (isUniqueViolation(err)) throw new SerialConflictError(expectedSerial, expectedSerial + 1);
      throw this.#explain(err, 'write state');
    } finally {
      client.release();
    }
  }

  async lock(req: { operation: string; timeoutMs?: number }): Promise<LockInfo> {
    await this.#ensureSchema();
    if (this.#lockSession) return this.#lockSession.info;
    const timeoutMs = req.timeoutMs ?? this.#lockTimeoutMs ?? 0;
    const deadline = Date.now() + timeoutMs;
    const client = new (await loadPg()).Client({
      connectionString: reveal(this.#url),
      connectionTimeoutMillis: this.#connectTimeoutMs,
      application_name: 'roster lock',
    });
    client.on('error', (err) =>
      this.#logger?.warn(
        `lost the state database session holding the lock (${err.message}): PostgreSQL released the lock; state writes still compare serials, so nothing forks`,
      ),
    );
    try {
      await client.connect();
    } catch (err) {
      throw this.#explain(err, 'take the state lock');
    }
    let wait = 200;
    let waitReported = false;
    try {
      for (;;) {
        const got = await client.query<{ ok: boolean }>(
          "SELECT pg_try_advisory_lock(hashtextextended('roster:' || $1, 0)) AS ok",
          [this.workspace],
        );
        if (got.rows[0]?.ok) break;
        const holder = await this.currentLock();
        if (Date.now() >= deadline) {
          throw new LockedError(
            holder ?? {
              id: '(unknown)',
              pid: 0,
              host: '(unknown)',
              user: '(unknown)',
              operation: '(unknown)',
              createdAt: new Date().toISOString(),
            },
            this.location,
          );
        }
        if (!waitReported) {
          // Said once, as the local backend does: the run is waiting, not stuck.
          waitReported = true;
          this.#logger?.info(
            `waiting up to ${formatWait(timeoutMs)} for the state lock (--lock-timeout): held by ${holder ? describeLockInfo(holder) : 'an unknown holder'}`,
          );
        }
        await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(deadline - Date.now(), 1))));
        wait = Math.min(wait * 2, 2000);
      }
      const info = newLockInfo(req.operation);
      await client.query(
        `INSERT INTO roster_lock_holders (workspace, lock_id, pid, host, username, operation, backend_pid, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, pg_backend_pid(), $7)
         ON CONFLICT (workspace) DO UPDATE SET lock_id = $2, pid = $3, host = $4, username = $5,
           operation = $6, backend_pid = pg_backend_pid(), created_at = $7`,
        [this.workspace, info.id, info.pid, info.host, info.user, info.operation, info.createdAt],
      );
      this.#lockSession = { client, info };
      return info;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (err instanceof LockedError) throw err;
      throw this.#explain(err, 'take the state lock');
    }
  }

  async unlock(lockId: string): Promise<void> {
    const session = this.#lockSession;
    if (!session || session.info.id !== lockId) return;
    this.#lockSession = undefined;
    try {
      await session.client.query('DELETE FROM roster_lock_holders WHERE workspace = $1 AND lock_id = $2', [
        this.workspace,
        lockId,
      ]);
      await session.client.query("SELECT pg_advisory_unlock(hashtextextended('roster:' || $1, 0))", [
        this.workspace,
      ]);
    } catch {
      // The session is gone: PostgreSQL has released its advisory lock already.
    } finally {
      await session.client.end().catch(() => undefined);
    }
  }

  /**
   * Who holds the workspace's lock: the recorded holder, when its session is still alive (a row
   * left by a session that ended is no lock at all).
   */
  async currentLock(): Promise<LockInfo | undefined> {
    await this.#ensureSchema();
    const r = await this.#query<HolderRow>(
      `SELECT h.lock_id, h.pid, h.host, h.username, h.operation, h.created_at
         FROM roster_lock_holders h
        WHERE h.workspace = $1
          AND EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = h.backend_pid)`,
      [this.workspace],
    );
    const row = r.rows[0];
    return row ? holderInfo(row) : undefined;
  }

  /** End the holder's session (PostgreSQL then releases its lock) and forget it. */
  async forceUnlock(lockId?: string): Promise<LockInfo | undefined> {
    await this.#ensureSchema();
    const r = await this.#query<HolderRow & { backend_pid: number }>(
      'SELECT lock_id, pid, host, username, operation, created_at, backend_pid FROM roster_lock_holders WHERE workspace = $1',
      [this.workspace],
    );
    const row = r.rows[0];
    if (!row || (lockId !== undefined && row.lock_id !== lockId)) return undefined;
    await this.#query('SELECT pg_terminate_backend($1)', [row.backend_pid]);
    await this.#query('DELETE FROM roster_lock_holders WHERE workspace = $1 AND lock_id = $2', [
      this.workspace,
      row.lock_id,
    ]);
    return holderInfo(row);
  }

  async appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#ensureSchema();
    await this.#query(
      'INSERT INTO roster_audit (workspace, entry) SELECT $1, e FROM jsonb_array_elements($2::jsonb) AS e',
      [this.workspace, JSON.stringify(entries)],
    );
  }

  /** The audit entries of this workspace, oldest first. */
  async readAudit(): Promise<AuditEntry[]> {
    await this.#ensureSchema();
    const r = await this.#query<{ entry: AuditEntry }>(
      'SELECT entry FROM roster_audit WHERE workspace = $1 ORDER BY seq',
      [this.workspace],
    );
    return r.rows.map((row) => row.entry);
  }

  /** Record a fleet tenant's latest result (`roster_fleet_results`, one row per fleet and tenant). */
  async recordFleetResult(fleet: string, tenant: string, result: unknown): Promise<void> {
    await this.#ensureSchema();
    await this.#query(
      `INSERT INTO roster_fleet_results (fleet, tenant, result) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (fleet, tenant) DO UPDATE SET result = EXCLUDED.result, recorded_at = now()`,
      [fleet, tenant, JSON.stringify(result)],
    );
  }

  /** Every tenant's latest result of a fleet, by tenant name. */
  async fleetResults(fleet: string): Promise<unknown[]> {
    await this.#ensureSchema();
    const r = await this.#query<{ result: unknown }>(
      'SELECT result FROM roster_fleet_results WHERE fleet = $1 ORDER BY tenant',
      [fleet],
    );
    return r.rows.map((row) => row.result);
  }

  /** The workspace's copy of the write-ahead journal (`roster_journal`). */
  readonly journal: JournalStore = {
    append: async (entries) => {
      if (entries.length === 0) return;
      await this.#ensureSchema();
      await this.#query(
        'INSERT INTO roster_journal (workspace, entry) SELECT $1, e FROM jsonb_array_elements($2::jsonb) AS e',
        [this.workspace, JSON.stringify(entries)],
      );
    },
    read: async () => {
      await this.#ensureSchema();
      const r = await this.#query<{ entry: JournalEntry }>(
        'SELECT entry FROM roster_journal WHERE workspace = $1 ORDER BY seq',
        [this.workspace],
      );
      return r.rows.map((row) => row.entry);
    },
    replace: async (entries) => {
      await this.#ensureSchema();
      const client = await this.#connect();
      try {
        await client.query('BEGIN');
        await client.query('DELETE FROM roster_journal WHERE workspace = $1', [this.workspace]);
        if (entries.length > 0)
          await client.query(
            'INSERT INTO roster_journal (workspace, entry) SELECT $1, e FROM jsonb_array_elements($2::jsonb) AS e',
            [this.workspace, JSON.stringify(entries)],
          );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw this.#explain(err, 'rewrite the journal');
      } finally {
        client.release();
      }
    },
  };

  /** The workspaces that have a row in `roster_state`. */
  async storedWorkspaces(): Promise<string[]> {
    await this.#ensureSchema();
    const r = await this.#query<{ workspace: string }>(
      'SELECT workspace FROM roster_state ORDER BY workspace',
      [],
    );
    return r.rows.map((row) => row.workspace);
  }

  /**
   * Remove workspace `name`'s state and journal in one transaction (the caller holds its lock). Its
   * audit entries stay: they record what was done, whatever became of the workspace.
   */
  async deleteWorkspace(name: string): Promise<void> {
    await this.#ensureSchema();
    const client = await this.#connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM roster_state WHERE workspace = $1', [name]);
      await client.query('DELETE FROM roster_journal WHERE workspace = $1', [name]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.#explain(err, `delete workspace ${name}`);
    } finally {
      client.release();
    }
  }

  withWorkspace(name: string): PostgresStateBackend {
    return new PostgresStateBackend({ ...this.#opts, workspace: name });
  }

  /** Close every connection (the lock session included); a shared pool stays open for its owner to close. */
  async close(): Promise<void> {
    if (this.#lockSession) await this.unlock(this.#lockSession.info.id);
    if (this.#ownsPool) await this.#connections.close();
  }

  /** The schema is checked once per pool: a fleet's tenants sharing one check it once. */
  #ensureSchema(): Promise<void> {
    return this.#connections.ensureSchema(
      async (client) => {
        try {
          const applied = await migrate(client);
          if (applied.length > 0)
            this.#logger?.debug(
              `state database ${this.location}: schema migrations ${applied.join(', ')} applied`,
            );
          return applied;
        } catch (err) {
          throw this.#explain(err, 'prepare the state schema');
        }
      },
      () => this.#connect(),
    );
  }

  async #connect(): Promise<pg.PoolClient> {
    try {
      return await (await this.#pool()).connect();
    } catch (err) {
      throw this.#explain(err, 'connect');
    }
  }

  async #query<R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await (await this.#pool()).query<R>(sql, params);
    } catch (err) {
      throw this.#explain(err, 'query');
    }
  }

  /** One line for a database failure, never holding the connection string's password. */
  #explain(err: unknown, doing: string): Error {
    if (err instanceof UserError || err instanceof SerialConflictError || err instanceof LockedError)
      return err;
    const message = err instanceof Error ? err.message : String(err);
    const secret = (() => {
      try {
        return decodeURIComponent(new URL(reveal(this.#url)).password);
      } catch {
        return '';
      }
    })();
    const safe = secret ? message.split(secret).join('***') : message;
    return new UserError(`state database ${this.location}: could not ${doing}: ${safe}`);
  }
}

interface HolderRow {
  lock_id: string;
  pid: number;
  host: string;
  username: string;
  operation: string;
  created_at: Date | string;
}

function holderInfo(row: HolderRow): LockInfo {
  return {
    id: row.lock_id,
    pid: row.pid,
    host: row.host,
    user: row.username,
    operation: row.operation,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}
