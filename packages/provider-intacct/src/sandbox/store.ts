import { JournaledStore, JournaledTables, TableTransaction } from '@roster/sim-kit';
import writeFileAtomic from 'write-file-atomic';
import { TABLE_INDEXES, TABLE_NAMES, type TableName, type TableRecords } from './records.js';

/** Read access to one table. */
export interface ReadonlyTable<R> {
  get(key: string): R | undefined;
  /** Records whose index `index` has `value` (index values as the index function computes them). */
  find(index: string, value: string): R[];
  first(index: string, value: string): R | undefined;
  values(): IterableIterator<R>;
  readonly size: number;
}

/** A consistent view of the simulated company. */
export interface SimDb {
  readonly companyId: string;
  table<T extends TableName>(name: T): ReadonlyTable<TableRecords[T]>;
}

/** A transaction: reads see its own writes; a thrown error undoes every write. */
export interface SimTx extends SimDb {
  put<T extends TableName>(name: T, record: TableRecords[T]): void;
  del(name: TableName, key: string): void;
  /** The next system-assigned key of a table ("1", "2", …), as Intacct assigns `key`. */
  newKey(name: TableName): string;
}

class Table<R extends { key: string }> implements ReadonlyTable<R> {
  readonly rows = new Map<string, R>();
  seq = 0;
  readonly #indexes: Array<{ name: string; fn: (r: R) => string | undefined; map: Map<string, Set<string>> }>;

  constructor(indexes: Record<string, (r: R) => string | undefined>) {
    this.#indexes = Object.entries(indexes).map(([name, fn]) => ({ name, fn, map: new Map() }));
  }
  get size(): number {
    return this.rows.size;
  }
  get(key: string): R | undefined {
    return this.rows.get(key);
  }
  find(index: string, value: string): R[] {
    const idx = this.#indexes.find((i) => i.name === index);
    if (!idx) throw new Error(`no index ${index}`);
    const keys = idx.map.get(value);
    if (!keys) return [];
    const out: R[] = [];
    for (const k of keys) {
      const r = this.rows.get(k);
      if (r) out.push(r);
    }
    return out;
  }
  first(index: string, value: string): R | undefined {
    return this.find(index, value)[0];
  }
  values(): IterableIterator<R> {
    return this.rows.values();
  }
  set(r: R): void {
    const old = this.rows.get(r.key);
    if (old) this.#unindex(old);
    this.rows.set(r.key, r);
    for (const idx of this.#indexes) {
      const v = idx.fn(r);
      if (v === undefined) continue;
      let s = idx.map.get(v);
      if (!s) {
        s = new Set();
        idx.map.set(v, s);
      }
      s.add(r.key);
    }
  }
  remove(key: string): void {
    const old = this.rows.get(key);
    if (!old) return;
    this.#unindex(old);
    this.rows.delete(key);
  }
  clear(): void {
    this.rows.clear();
    for (const idx of this.#indexes) idx.map.clear();
    this.seq = 0;
  }
  #unindex(r: R): void {
    for (const idx of this.#indexes) {
      const v = idx.fn(r);
      if (v === undefined) continue;
      const s = idx.map.get(v);
      s?.delete(r.key);
      if (s && s.size === 0) idx.map.delete(v);
    }
  }
}

export interface SimStoreOptions {
  /** Directory to persist in; undefined keeps everything in memory. */
  dir?: string;
  companyId: string;
  /** Fills a brand-new company (system users and roles). */
  init?: (tx: SimTx) => void;
  /** Rewrite the snapshot once the journal grows past this many bytes (and past the snapshot). */
  compactBytes?: number;
  /** Passed to the cross-process lock. */
  lockStaleMs?: number;
  lockTimeoutMs?: number;
}

/** A file-system-safe rendering of a company ID for file names. */
export function storeFileBase(companyId: string): string {
  return `intacct-${companyId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/**
 * The simulated company's data: tables with secondary indexes, persisted as a JSON snapshot plus
 * an append-only journal of changes (see {@link JournaledStore} for why and how).
 */
export class SimStore extends JournaledTables<SimTx> implements SimDb {
  readonly companyId: string;
  readonly dir: string | undefined;
  readonly #tables: Map<TableName, Table<{ key: string }>>;

  private constructor(
    opts: SimStoreOptions,
    tables: Map<TableName, Table<{ key: string }>>,
    journal: JournaledStore<Transaction>,
  ) {
    super(journal);
    this.companyId = opts.companyId;
    this.dir = opts.dir;
    this.#tables = tables;
  }

  /** Open (or create and seed) the company's store. */
  static async open(opts: SimStoreOptions): Promise<SimStore> {
    const tables = new Map<TableName, Table<{ key: string }>>();
    for (const name of TABLE_NAMES) {
      tables.set(name, new Table(TABLE_INDEXES[name] as Record<string, (r: { key: string }) => string>));
    }
    const journal = await JournaledStore.open({
      tables,
      newTransaction: () => new Transaction(tables, opts.companyId),
      dir: opts.dir,
      fileBase: storeFileBase(opts.companyId),
      format: 'roster-intacct-sandbox',
      systemName: 'Intacct',
      header: { companyId: opts.companyId },
      init: opts.init,
      compactBytes: opts.compactBytes ?? 8 * 1024 * 1024,
      writeFileAtomic,
      lockStaleMs: opts.lockStaleMs,
      lockTimeoutMs: opts.lockTimeoutMs,
    });
    return new SimStore(opts, tables, journal);
  }

  table<T extends TableName>(name: T): ReadonlyTable<TableRecords[T]> {
    return this.#tables.get(name) as unknown as ReadonlyTable<TableRecords[T]>;
  }

  /** Every table as plain data (the admin console's state dump). */
  dump(): Record<TableName, unknown[]> {
    const out = {} as Record<TableName, unknown[]>;
    for (const [name, t] of this.#tables) out[name] = [...t.values()];
    return out;
  }
}

class Transaction extends TableTransaction implements SimTx {
  readonly companyId: string;

  constructor(tables: Map<TableName, Table<{ key: string }>>, companyId: string) {
    super(tables);
    this.companyId = companyId;
  }
  table<T extends TableName>(name: T): ReadonlyTable<TableRecords[T]> {
    return this.tables.get(name) as unknown as ReadonlyTable<TableRecords[T]>;
  }
}
