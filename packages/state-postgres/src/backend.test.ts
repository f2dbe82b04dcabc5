import {
  createWorkspace,
  deleteWorkspace,
  emptyStateDocument,
  LockedError,
  listWorkspaces,
  requireWorkspace,
  SerialConflictError,
  type StateDocument,
  UserError,
} from '@roster/core';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase as createDatabase } from '../../../test/support/postgres-database.js';
import { PostgresStateBackend } from './backend.js';
import { PostgresFleetResults } from './fleet-results.js';

// Against the real PostgreSQL server the test setup starts (test/setup/postgres.ts).
const server = inject('postgres');
const backends: PostgresStateBackend[] = [];

/** A database of its own for one test, and a backend factory on it. */
const freshDatabase = () => createDatabase(server, 't');

function backend(url: string, workspace = 'default', lockTimeoutMs?: number): PostgresStateBackend {
  const b = new PostgresStateBackend({
    url,
    workspace,
    ...(lockTimeoutMs !== undefined ? { lockTimeoutMs } : {}),
  });
  backends.push(b);
  return b;
}

function next(doc: StateDocument): StateDocument {
  return { ...doc, serial: doc.serial + 1 };
}

afterAll(async () => {
  await Promise.all(backends.map((b) => b.close()));
});

describe.skipIf(!server.available)('PostgresStateBackend', () => {
  it('creates its schema on first use, reads an empty state, writes with serial compare-and-set, refuses another lineage', async () => {
    const url = await freshDatabase();
    const b = backend(url);
    const empty = await b.read();
    expect(empty.serial).toBe(0);
    const first = next(empty);
    first.resources['p/ServiceAccount/a'] = {
      provider: 'p',
      kind: 'ServiceAccount',
      name: 'a',
      id: '1',
      naturalKey: 'A',
      attributes: { roles: [{ ref: 'X' }] },
      dependencies: [],
    };
    await b.write(first, 0);
    const read = await backend(url).read();
    expect(read).toEqual(first);
    await expect(b.write({ ...read, serial: 1 }, 0)).rejects.toBeInstanceOf(SerialConflictError);
    await expect(b.write({ ...next(read), lineage: 'other' }, 1)).rejects.toThrow(
      /has lineage .* \(another project's state/,
    );
    await b.write(next(read), 1);
    expect((await b.read()).serial).toBe(2);
    const versions = await new pg.Client({ connectionString: url });
    await versions.connect();
    expect(
      (await versions.query('SELECT version FROM roster_schema_migrations ORDER BY version')).rows,
    ).toEqual([{ version: 1 }, { version: 2 }]);
    await versions.end();
  });

  it('never forks the serial: of two first writes racing, exactly one wins', async () => {
    const url = await freshDatabase();
    const [a, b] = [backend(url), backend(url)];
    const base = emptyStateDocument();
    const results = await Promise.allSettled([
      a.write(next(base), 0),
      b.write(next({ ...base, lineage: base.lineage }), 0),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(SerialConflictError);
  });

  it('locks per workspace: a second holder fails at once naming the first, or waits with a timeout; other workspaces are free', async () => {
    const url = await freshDatabase();
    const first = backend(url);
    const info = await first.lock({ operation: 'apply' });
    const err = await backend(url)
      .lock({ operation: 'apply' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect((err as LockedError).holder).toEqual(info);
    expect((err as Error).message).toContain(`lock id ${info.id}`);
    // Another workspace has its own lock.
    const other = backend(url, 'staging');
    await other.unlock((await other.lock({ operation: 'apply' })).id);
    // A waiter says it waits, and gets the lock once the holder lets go (released only after it
    // said so: the waiter provably waited, however slow the machine).
    const said: string[] = [];
    let saidWaiting!: () => void;
    const waitingSaid = new Promise<void>((resolve) => {
      saidWaiting = resolve;
    });
    const waiter = new PostgresStateBackend({
      url,
      lockTimeoutMs: 60_000,
      logger: {
        info: (m) => {
          said.push(m);
          saidWaiting();
        },
        warn: () => {},
        debug: () => {},
      },
    });
    backends.push(waiter);
    const waiting = waiter.lock({ operation: 'plan' });
    await waitingSaid;
    await first.unlock(info.id);
    const got = await waiting;
    expect(got.operation).toBe('plan');
    expect(said).toEqual([
      `waiting up to 60.0 s for the state lock (--lock-timeout): held by lock ${info.id} of pid ${info.pid} on host ${info.host} (user ${info.user}, apply) since ${info.createdAt}`,
    ]);
    await waiter.unlock(got.id);
  });

  it('releases the lock with the session: a holder whose connection dies holds nothing', async () => {
    const url = await freshDatabase();
    const holder = backend(url);
    const info = await holder.lock({ operation: 'apply' });
    expect(await backend(url).currentLock()).toEqual(info);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'roster lock' AND datname = current_database()",
    );
    await admin.end();
    await new Promise((r) => setTimeout(r, 200));
    const next = backend(url);
    expect(await next.currentLock()).toBeUndefined();
    await next.unlock((await next.lock({ operation: 'apply' })).id);
  });

  it('force-unlock ends the holder session', async () => {
    const url = await freshDatabase();
    const holder = backend(url);
    const info = await holder.lock({ operation: 'apply' });
    const other = backend(url);
    expect(await other.forceUnlock('not-this-one')).toBeUndefined();
    expect(await other.forceUnlock(info.id)).toEqual(info);
    await new Promise((r) => setTimeout(r, 200));
    await other.unlock((await other.lock({ operation: 'apply' })).id);
  });

  it('keeps audit entries per workspace', async () => {
    const url = await freshDatabase();
    const b = backend(url, 'prod');
    const entries = [{ type: 'run-start', at: '2026-12-05T00:00:00Z', actor: 'ci' }] as never[];
    await b.appendAudit(entries);
    expect(await b.readAudit()).toEqual(entries);
    expect(await backend(url, 'dev').readAudit()).toEqual([]);
  });

  it('says what failed without the password, and refuses a bad workspace name', async () => {
    if (!server.available) return;
    const wrong = new URL(server.url);
    wrong.password = 'not-the-password-123';
    const err = await backend(wrong.toString())
      .read()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(
      /^state database postgres:\/\/roster@127\.0\.0\.1:\d+\/postgres \(workspace default\): could not connect: /,
    );
    expect((err as Error).message).not.toContain('not-the-password-123');
    expect((err as Error).message).not.toContain(server.password);
    expect(() => backend(server.url, 'Prod Space')).toThrow(/workspace "Prod Space" is not a valid name/);
  });
});

describe.skipIf(!server.available)('PostgresStateBackend workspaces', () => {
  it('lists rows as workspaces (default always), creates one of serial 1, deletes its state and journal, keeps its audit', async () => {
    const url = await freshDatabase();
    const b = backend(url);
    expect(await listWorkspaces(b)).toEqual(['default']);
    await createWorkspace(b, 'prod');
    await createWorkspace(b, 'staging');
    await expect(createWorkspace(b, 'prod')).rejects.toThrow(/workspace prod already exists/);
    expect(await listWorkspaces(b)).toEqual(['default', 'prod', 'staging']);
    expect(b.workspacesLocation).not.toContain(server.available ? server.password : '');
    const prod = backend(url, 'prod');
    expect((await prod.read()).serial).toBe(1);
    await requireWorkspace(prod);
    await expect(requireWorkspace(backend(url, 'prdo'))).rejects.toThrow(
      /workspace prdo does not exist in postgres:\/\/.*; existing workspaces: default, prod, staging \(did you mean prod\?\)/,
    );

    const staging = backend(url, 'staging');
    const doc = await staging.read();
    await staging.write(
      {
        ...next(doc),
        resources: {
          'p/Group/g': {
            provider: 'p',
            kind: 'Group',
            name: 'g',
            id: '1',
            naturalKey: 'G',
            attributes: {},
            dependencies: [],
          },
        },
      },
      doc.serial,
    );
    await staging.journal.append([
      { v: 1, run: 'r', seq: 1, phase: 'intent', address: 'p/Group/g', at: '2026-01-01T00:00:00Z' } as never,
    ]);
    await staging.appendAudit([{ type: 'apply-start' } as never]);
    await expect(deleteWorkspace({ backend: b, name: 'staging', current: 'default' })).rejects.toThrow(
      /still holds 1 resource/,
    );
    expect(await deleteWorkspace({ backend: b, name: 'staging', current: 'default', force: true })).toBe(1);
    expect(await listWorkspaces(b)).toEqual(['default', 'prod']);
    expect(await staging.journal.read()).toEqual([]);
    expect(await staging.readAudit()).toHaveLength(1);
    // Gone means no state: a read is the empty document of serial 0 again.
    expect((await staging.read()).serial).toBe(0);
  });
});

describe.skipIf(!server.available)('PostgresFleetResults', () => {
  it('keeps the latest result per tenant of each fleet', async () => {
    const url = await freshDatabase();
    const results = new PostgresFleetResults(backend(url), 'msp');
    const other = new PostgresFleetResults(backend(url, 'staging'), 'other');
    const result = (tenant: string, changes: number) =>
      ({ tenant, command: 'plan', exitCode: 0, outcome: 'ok', changes }) as never;
    await results.record('globex', result('globex', 1));
    await results.record('acme', result('acme', 2));
    await results.record('globex', result('globex', 3));
    await other.record('acme', result('acme', 9));
    expect((await results.latest()).map((r) => [r.tenant, r.changes])).toEqual([
      ['acme', 2],
      ['globex', 3],
    ]);
    expect(await other.latest()).toHaveLength(1);
  });
});
