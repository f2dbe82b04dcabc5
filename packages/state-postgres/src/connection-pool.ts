import type { Logger, Secret } from '@roster/core';
import type pg from 'pg';
import { loadPg } from './load-pg.js';

export interface PostgresConnectionPoolOptions {
  /** `postgres://user:password@host:port/database`, from `${env:…}` (kept a `Secret`). */
  url: Secret | string;
  /** Connections at most (default 2: one run's reads and writes). */
  max?: number;
  /** How long to wait for a connection (ms, default 10 s). */
  connectTimeoutMs?: number;
  logger?: Logger;
}

const reveal = (url: Secret | string) => (typeof url === 'string' ? url : url.reveal());

/**
 * The connections to one state database and whether its schema is up to date. A backend makes one
 * of its own; a fleet run makes one and passes it to every tenant's backend
 * (`PostgresStateBackendOptions.pool`), so that 200 tenants cost a few connections, signed in
 * once each, and one schema check — not a pool, a SCRAM sign-in and a migration check per tenant.
 * What a connection carries between queries is nothing of a workspace's: every query names its
 * workspace, and a workspace's lock has a session of its own (`PostgresStateBackend.lock`).
 */
export class PostgresConnectionPool {
  readonly url: Secret | string;
  readonly connectTimeoutMs: number;
  /** Connections at most. */
  readonly max: number;
  readonly #logger: Logger | undefined;
  /** Created on first use: loading `pg` costs every command time, and most never touch PostgreSQL. */
  #pool: Promise<pg.Pool> | undefined;
  #ready: Promise<void> | undefined;
  #closed = false;
  /** Schema checks made (a test reads it: one per pool, however many workspaces use it). */
  schemaChecks = 0;

  constructor(opts: PostgresConnectionPoolOptions) {
    this.url = opts.url;
    this.max = Math.max(1, opts.max ?? 2);
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.#logger = opts.logger;
  }

  /** The `pg` pool, created on first use. */
  pool(): Promise<pg.Pool> {
    if (this.#closed) return Promise.reject(new Error('the state database connections are closed'));
    this.#pool ??= loadPg().then((driver) => {
      // Idle connections must not keep the CLI alive once a command is done.
      const pool = new driver.Pool({
        connectionString: reveal(this.url),
        max: this.max,
        allowExitOnIdle: true,
        connectionTimeoutMillis: this.connectTimeoutMs,
        application_name: 'roster',
      });
      // An idle pooled client that loses its connection emits here; the next query reports it.
      pool.on('error', (err) => this.#logger?.debug(`state database: idle connection lost (${err.message})`));
      return pool;
    });
    return this.#pool;
  }

  /**
   * Apply the migrations the database lacks, once for this pool: `prepare` connects and runs
   * them (the backend's, which words its errors). A failed attempt is not kept: the next call
   * tries again.
   */
  ensureSchema(
    prepare: (client: pg.ClientBase) => Promise<unknown>,
    connect: () => Promise<pg.PoolClient>,
  ): Promise<void> {
    this.#ready ??= (async () => {
      this.schemaChecks += 1;
      const client = await connect();
      try {
        await prepare(client);
      } finally {
        client.release();
      }
    })();
    this.#ready.catch(() => {
      this.#ready = undefined;
    });
    return this.#ready;
  }

  /** End every pooled connection; the pool refuses new queries. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool?.then((pool) => pool.end()).catch(() => undefined);
  }
}
