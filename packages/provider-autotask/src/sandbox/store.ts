import { JournaledStore, JournaledTables, TableTransaction } from '@roster/sim-kit';
import writeFileAtomic from 'write-file-atomic';
import { TABLE_NAMES, type TableName, type TableRecords } from './records.js';

/** Read access to one table. */
export interface ReadonlyTable<R> {
  get(key: string): R | undefined;
  values(): IterableIterator<R>;
  readonly size: number;
}

/** A consistent view of the simulated database. */
export interface SimDb {
  table<T extends TableName>(name: T): ReadonlyTable<TableRecords[T]>;
}

/** A transaction: reads see its own writes; a thrown error undoes every write. */
export interface SimTx extends SimDb {
  put<T extends TableName>(name: T, record: TableRecords[T]): void;
  del(name: TableName, key: string): void;
  /** The next key of a table, one more than the last ("29682885", …), as Autotask assigns ids. */
  newKey(name: TableName): string;
  /** Start a table's keys after `seq` (the seed uses it to give realistic ids). */
  setSeq(name: TableName, seq: number): void;
}

class Table<R extends { key: string }> implements ReadonlyTable<R> {
  readonly rows = new Map<string, R>();
  seq = 0;
  get size(): number {
    return this.rows.size;
  }
  get(key: string): R | undefined {
    return this.rows.get(key);
  }
  values(): IterableIterator<R> {
    return this.rows.values();
  }
  set(r: R): void {
    this.rows.set(r.key, r);
  }
  remove(key: string): void {
    this.rows.delete(key);
  }
  clear(): void {
    this.rows.clear();
    this.seq = 0;
  }
}

export interface SimStoreOptions {
  /** Directory to persist in; undefined keeps everything in memory. */
  dir?: string;
  /** Fills a brand-new database. */
  init?: (tx: SimTx) => void;
  /** Rewrite the snapshot once the journal grows past this many bytes (and past the snapshot). */
  compactBytes?: number;
  /** Passed to the cross-process lock. */
  lockStaleMs?: number;
  lockTimeoutMs?: number;
}

/** File names of a sandbox database inside its directory. */
export const STORE_FILE_BASE = 'autotask';

/**
 * The simulated database: tables persisted as a JSON snapshot plus an append-only journal (see
 * {@link JournaledStore} for why and how). The files are 0600: the sandbox holds API users' names.
 */
export class SimStore extends JournaledTables<SimTx> implements SimDb {
  readonly dir: string | undefined;
  readonly #tables: Map<TableName, Table<{ key: string }>>;

  private constructor(
    dir: string | undefined,
    tables: Map<TableName, Table<{ key: string }>>,
    journal: JournaledStore<Transaction>,
  ) {
    super(journal);
    this.dir = dir;
    this.#tables = tables;
  }

  /** Open (or create and seed) the database. */
  static async open(opts: SimStoreOptions): Promise<SimStore> {
    const tables = new Map<TableName, Table<{ key: string }>>();
    for (const name of TABLE_NAMES) tables.set(name, new Table());
    const journal = await JournaledStore.open({
      tables,
      newTransaction: () => new Transaction(tables),
      dir: opts.dir,
      fileBase: STORE_FILE_BASE,
      format: 'roster-autotask-sandbox',
      systemName: 'Autotask',
      init: opts.init,
      compactBytes: opts.compactBytes ?? 8 * 1024 * 1024,
      fileMode: 0o600,
      writeFileAtomic,
      lockStaleMs: opts.lockStaleMs,
      lockTimeoutMs: opts.lockTimeoutMs,
    });
    return new SimStore(opts.dir, tables, journal);
  }

  table<T extends TableName>(name: T): ReadonlyTable<TableRecords[T]> {
    return this.#tables.get(name) as unknown as ReadonlyTable<TableRecords[T]>;
  }
}

class Transaction extends TableTransaction implements SimTx {
  table<T extends TableName>(name: T): ReadonlyTable<TableRecords[T]> {
    return this.tables.get(name) as unknown as ReadonlyTable<TableRecords[T]>;
  }
}
