import { JournaledStore, JournaledTables, TableTransaction } from '@roster/sim-kit';
import writeFileAtomic from 'write-file-atomic';
import { TABLE_NAMES, type TableName, type TableRecords } from './records.js';

/** Read access to one table. */
export interface ReadonlyTable<R> {
  get(key: string): R | undefined;
  /** Records in key order (stable output for GetConnectors without an order). */
  values(): R[];
  readonly size: number;
}

/** A consistent view of the simulated environment. */
export interface SimDb {
  table<T extends TableName>(name: T): ReadonlyTable<TableRecords[T]>;
}

/** A transaction: reads see its own writes; a thrown error undoes every write. */
export interface SimTx extends SimDb {
  put<T extends TableName>(name: T, record: TableRecords[T]): void;
  del(name: TableName, key: string): void;
  /** The next sequence number of a table ("1", "2", …). */
  newKey(name: TableName): string;
}

class Table<R extends { key: string }> implements ReadonlyTable<R> {
  readonly rows = new Map<string, R>();
  seq = 0;
  #sorted: R[] | undefined;

  get size(): number {
    return this.rows.size;
  }
  get(key: string): R | undefined {
    return this.rows.get(key);
  }
  values(): R[] {
    this.#sorted ??= [...this.rows.values()].sort((a, b) => compareKeys(a.key, b.key));
    return this.#sorted;
  }
  set(r: R): void {
    this.rows.set(r.key, r);
    this.#sorted = undefined;
  }
  remove(key: string): void {
    if (this.rows.delete(key)) this.#sorted = undefined;
  }
  clear(): void {
    this.rows.clear();
    this.seq = 0;
    this.#sorted = undefined;
  }
}

/** Sequence keys ("2" before "10"), then text. */
function compareKeys(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : Number.NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : Number.NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface SimStoreOptions {
  /** Directory to persist in; undefined keeps everything in memory. */
  dir?: string;
  /** Environment number: names the files (`afas-<environment>.json`). */
  environment: string;
  /** Fills a brand-new environment. */
  init?: (tx: SimTx) => void;
  /** Rewrite the snapshot once the journal grows past this many bytes (and past the snapshot). */
  compactBytes?: number;
  /** Passed to the cross-process lock. */
  lockStaleMs?: number;
  lockTimeoutMs?: number;
}

/**
 * The simulated environment's data, persisted as a JSON snapshot (`afas-<environment>.json`) plus
 * an append-only journal: see {@link JournaledStore} for why and how.
 */
export class SimStore extends JournaledTables<SimTx> implements SimDb {
  readonly environment: string;
  readonly #tables: Map<TableName, Table<{ key: string }>>;

  private constructor(
    environment: string,
    tables: Map<TableName, Table<{ key: string }>>,
    journal: JournaledStore<Transaction>,
  ) {
    super(journal);
    this.environment = environment;
    this.#tables = tables;
  }

  /** Open (or create and seed) the environment's store. */
  static async open(opts: SimStoreOptions): Promise<SimStore> {
    const tables = new Map<TableName, Table<{ key: string }>>();
    for (const name of TABLE_NAMES) tables.set(name, new Table());
    const journal = await JournaledStore.open({
      tables,
      newTransaction: () => new Transaction(tables),
      dir: opts.dir,
      fileBase: `afas-${opts.environment.replace(/[^A-Za-z0-9._-]/g, '_')}`,
      format: 'roster-afas-sandbox',
      systemName: 'AFAS',
      header: { environment: opts.environment },
      init: opts.init,
      compactBytes: opts.compactBytes ?? 4 * 1024 * 1024,
      writeFileAtomic,
      lockStaleMs: opts.lockStaleMs,
      lockTimeoutMs: opts.lockTimeoutMs,
    });
    return new SimStore(opts.environment, tables, journal);
  }

  table<T extends TableName>(name: T): ReadonlyTable<TableRecords[T]> {
    return this.#tables.get(name) as unknown as ReadonlyTable<TableRecords[T]>;
  }

  /** Every table as plain data (the console's state dump). */
  dump(): Record<TableName, unknown[]> {
    const out = {} as Record<TableName, unknown[]>;
    for (const [name, t] of this.#tables) out[name] = t.values();
    return out;
  }
}

class Transaction extends TableTransaction implements SimTx {
  table<T extends TableName>(name: T): ReadonlyTable<TableRecords[T]> {
    return this.tables.get(name) as unknown as ReadonlyTable<TableRecords[T]>;
  }
}
