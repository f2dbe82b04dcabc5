import { promises as fs } from 'node:fs';
import path from 'node:path';
import { acquireFileLock, type FileLock } from '@roster/sim-kit';
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

/** One change in the journal: put a record, delete a key, or advance a key sequence. */
type Op = ['p', TableName, { key: string }] | ['d', TableName, string] | ['s', TableName, number];

interface JournalLine {
  /** Generation of the snapshot this line follows; lines of older generations are already in the snapshot. */
  g: number;
  ops: Op[];
}

interface SnapshotDoc {
  format: 'roster-intacct-sandbox';
  version: 1;
  companyId: string;
  generation: number;
  savedAt: string;
  tables: Record<string, { seq: number; rows: Array<{ key: string }> }>;
}

interface FileIdentity {
  ino: number;
  mtimeMs: number;
  size: number;
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

interface Pending {
  fn: (tx: SimTx) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** A file-system-safe rendering of a company ID for file names. */
export function storeFileBase(companyId: string): string {
  return `intacct-${companyId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/**
 * The simulated company's data: tables with secondary indexes, persisted as a JSON snapshot plus
 * an append-only journal of changes.
 *
 * Why a journal: rewriting a 50,000-user snapshot on every request would make a bulk apply
 * quadratic. Each transaction appends one fsync'd line instead; the snapshot is rewritten
 * atomically (temp file + fsync + rename) only when the journal has grown as large as the
 * snapshot, so the cost per write stays constant on average.
 *
 * Why a lock file: an in-process sandbox (`roster plan`) and `roster sandbox serve` may share the
 * directory. Every write runs under the cross-process lock, first catching up with whatever the
 * other process wrote (re-reading the snapshot if it was replaced, or the new journal lines), so
 * no update is lost. Transactions queued meanwhile in this process are committed together under
 * one lock and one fsync (group commit). Reads skip the lock when neither file changed.
 */
export class SimStore implements SimDb {
  readonly companyId: string;
  readonly dir: string | undefined;
  /** Bumped on every change seen by this process (query caches key on it). */
  version = 0;
  readonly #tables = new Map<TableName, Table<{ key: string }>>();
  readonly #snapshotPath: string | undefined;
  readonly #journalPath: string | undefined;
  readonly #lockPath: string | undefined;
  readonly #compactBytes: number;
  readonly #lockOpts: { staleMs?: number; timeoutMs?: number };
  readonly #init: ((tx: SimTx) => void) | undefined;
  #generation = 0;
  #snap: FileIdentity | undefined;
  #journalIno = 0;
  #journalOffset = 0;
  #queue: Pending[] = [];
  #draining: Promise<void> | undefined;
  #needsReload = false;
  #closed = false;

  private constructor(opts: SimStoreOptions) {
    this.companyId = opts.companyId;
    this.dir = opts.dir;
    this.#compactBytes = opts.compactBytes ?? 8 * 1024 * 1024;
    this.#lockOpts = {
      ...(opts.lockStaleMs !== undefined ? { staleMs: opts.lockStaleMs } : {}),
      ...(opts.lockTimeoutMs !== undefined ? { timeoutMs: opts.lockTimeoutMs } : {}),
    };
    this.#init = opts.init;
    for (const name of TABLE_NAMES) {
      this.#tables.set(
        name,
        new Table(TABLE_INDEXES[name] as Record<string, (r: { key: string }) => string>),
      );
    }
    if (opts.dir) {
      const base = path.join(opts.dir, storeFileBase(opts.companyId));
      this.#snapshotPath = `${base}.json`;
      this.#journalPath = `${base}.journal`;
      this.#lockPath = `${base}.lock`;
    }
  }

  /** Open (or create and seed) the company's store. */
  static async open(opts: SimStoreOptions): Promise<SimStore> {
    const store = new SimStore(opts);
    if (!opts.dir) {
      store.#seed();
      return store;
    }
    await fs.mkdir(opts.dir, { recursive: true });
    const lock = await store.#lock();
    try {
      await store.#refresh();
    } finally {
      await lock.release();
    }
    return store;
  }

  /** The snapshot file, when persisted. */
  get file(): string | undefined {
    return this.#snapshotPath;
  }

  table<T extends TableName>(name: T): ReadonlyTable<TableRecords[T]> {
    return this.#tables.get(name) as unknown as ReadonlyTable<TableRecords[T]>;
  }

  /** Run `fn` against current data (catching up with other processes first if their files changed). */
  async read<T>(fn: (db: SimDb) => T): Promise<T> {
    if (this.#snapshotPath && (this.#needsReload || (await this.#changedOnDisk()))) {
      await this.transact(() => undefined);
    }
    return fn(this);
  }

  /**
   * Run `fn` as one transaction: under the cross-process lock, on up-to-date data, made durable
   * before the promise resolves. `fn` is synchronous so nothing else interleaves with it.
   */
  transact<T>(fn: (tx: SimTx) => T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the sandbox store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#draining) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      // Queued after the drain loop last looked, before this ran: start again.
      if (this.#queue.length > 0) this.#kick();
    });
  }

  /** Every table as plain data (the admin console's state dump). */
  dump(): Record<TableName, unknown[]> {
    const out = {} as Record<TableName, unknown[]>;
    for (const [name, t] of this.#tables) out[name] = [...t.values()];
    return out;
  }

  /** Wait for queued transactions, then refuse new ones. */
  async close(): Promise<void> {
    while (this.#draining) await this.#draining;
    this.#closed = true;
  }

  #seed(): void {
    if (!this.#init) return;
    const tx = new Transaction(this.#tables, this.companyId);
    this.#init(tx);
    this.version += 1;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, 500);
      let lock: FileLock | undefined;
      try {
        if (this.#lockPath) {
          lock = await this.#lock();
          await this.#refresh();
        }
      } catch (err) {
        await lock?.release().catch(() => {});
        for (const p of batch) p.reject(err);
        continue;
      }
      const results: Array<{ p: Pending; ok: boolean; value: unknown; tx: Transaction | undefined }> = [];
      const lines: string[] = [];
      for (const p of batch) {
        const tx = new Transaction(this.#tables, this.companyId);
        try {
          const value = p.fn(tx);
          if (tx.ops.length > 0) {
            lines.push(JSON.stringify({ g: this.#generation, ops: tx.ops } satisfies JournalLine));
            this.version += 1;
          }
          results.push({ p, ok: true, value, tx });
        } catch (err) {
          tx.rollback();
          results.push({ p, ok: false, value: err, tx: undefined });
        }
      }
      let writeError: unknown;
      try {
        if (this.#journalPath && lines.length > 0) {
          await this.#append(`${lines.join('\n')}\n`);
          if (this.#journalOffset > Math.max(this.#compactBytes, this.#snap?.size ?? 0))
            await this.#compact();
        }
      } catch (err) {
        writeError = err;
        // What is in memory may now be ahead of the files: start again from them next time.
        this.#needsReload = true;
      } finally {
        await lock?.release().catch(() => {});
      }
      for (const r of results) {
        if (writeError && r.ok && r.tx && r.tx.ops.length > 0) r.p.reject(writeError);
        else if (r.ok) r.p.resolve(r.value);
        else r.p.reject(r.value);
      }
    }
  }

  #lock(): Promise<FileLock> {
    return acquireFileLock(this.#lockPath!, this.#lockOpts);
  }

  async #changedOnDisk(): Promise<boolean> {
    const snap = await statIdentity(this.#snapshotPath!);
    if (!sameIdentity(snap, this.#snap)) return true;
    const j = await statIdentity(this.#journalPath!);
    return (j?.ino ?? 0) !== this.#journalIno || (j?.size ?? 0) !== this.#journalOffset;
  }

  /** Catch up with the files (caller holds the lock). */
  async #refresh(): Promise<void> {
    const snap = await statIdentity(this.#snapshotPath!);
    if (!snap) {
      // A new company (or its files were removed): seed it and write the first snapshot.
      for (const t of this.#tables.values()) t.clear();
      this.#seed();
      this.#generation = 0;
      await this.#compact();
      this.#needsReload = false;
      return;
    }
    if (this.#needsReload || !sameIdentity(snap, this.#snap)) {
      await this.#loadSnapshot();
      this.#needsReload = false;
    }
    if (!(await this.#readJournal())) {
      await this.#loadSnapshot();
      await this.#readJournal();
    }
  }

  async #loadSnapshot(): Promise<void> {
    const text = await fs.readFile(this.#snapshotPath!, 'utf8');
    const snap = await statIdentity(this.#snapshotPath!);
    let doc: SnapshotDoc;
    try {
      doc = JSON.parse(text) as SnapshotDoc;
    } catch (err) {
      throw new Error(`the sandbox file ${this.#snapshotPath} is not valid JSON: ${(err as Error).message}`);
    }
    if (doc.format !== 'roster-intacct-sandbox' || doc.version !== 1) {
      throw new Error(
        `the sandbox file ${this.#snapshotPath} is not a roster Intacct sandbox (format ${doc.format})`,
      );
    }
    for (const name of TABLE_NAMES) {
      const t = this.#tables.get(name)!;
      t.clear();
      const data = doc.tables[name];
      if (!data) continue;
      t.seq = data.seq;
      for (const r of data.rows) t.set(r);
    }
    this.#generation = doc.generation;
    this.#snap = snap;
    this.#journalIno = 0;
    this.#journalOffset = 0;
    this.version += 1;
  }

  /** Apply journal lines written since the last read. False when the journal was replaced under us. */
  async #readJournal(): Promise<boolean> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.#journalPath!, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return this.#journalOffset === 0;
    }
    try {
      const st = await handle.stat();
      if (this.#journalOffset > 0 && (st.ino !== this.#journalIno || st.size < this.#journalOffset))
        return false;
      this.#journalIno = st.ino;
      if (st.size === this.#journalOffset) return true;
      const length = st.size - this.#journalOffset;
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, this.#journalOffset);
      const end = buf.lastIndexOf(10);
      // A line without its newline is being written (or was cut short by a crash): not yet.
      if (end < 0) return true;
      let changed = false;
      for (const line of buf.subarray(0, end).toString('utf8').split('\n')) {
        if (!line) continue;
        let parsed: JournalLine;
        try {
          parsed = JSON.parse(line) as JournalLine;
        } catch {
          continue; // a torn line left by a crash, overwritten by the next append
        }
        if (parsed.g !== this.#generation) continue;
        this.#applyOps(parsed.ops);
        changed = true;
      }
      this.#journalOffset += end + 1;
      if (changed) this.version += 1;
      return true;
    } finally {
      await handle.close();
    }
  }

  #applyOps(ops: Op[]): void {
    for (const op of ops) {
      const t = this.#tables.get(op[1]);
      if (!t) continue;
      if (op[0] === 'p') t.set(op[2]);
      else if (op[0] === 'd') t.remove(op[2]);
      else t.seq = Math.max(t.seq, op[2]);
    }
  }

  async #append(data: string): Promise<void> {
    const handle = await fs.open(this.#journalPath!, 'a');
    try {
      const st = await handle.stat();
      // Anything past what we have read is a torn line from a crashed writer: cut it off.
      if (st.size !== this.#journalOffset) await handle.truncate(this.#journalOffset);
      await handle.write(data);
      await handle.datasync();
      const after = await handle.stat();
      this.#journalIno = after.ino;
      this.#journalOffset = after.size;
    } finally {
      await handle.close();
    }
  }

  /** Rewrite the snapshot with everything, then empty the journal (caller holds the lock). */
  async #compact(): Promise<void> {
    const generation = this.#generation + 1;
    const doc: SnapshotDoc = {
      format: 'roster-intacct-sandbox',
      version: 1,
      companyId: this.companyId,
      generation,
      savedAt: new Date().toISOString(),
      tables: {},
    };
    for (const [name, t] of this.#tables) doc.tables[name] = { seq: t.seq, rows: [...t.values()] };
    // write-file-atomic: temp file, fsync, rename. A crash before the journal is emptied is
    // harmless: its lines carry the old generation and are skipped.
    await writeFileAtomic(this.#snapshotPath!, JSON.stringify(doc), { fsync: true });
    this.#generation = generation;
    this.#snap = await statIdentity(this.#snapshotPath!);
    const handle = await fs.open(this.#journalPath!, 'a');
    try {
      await handle.truncate(0);
      await handle.datasync();
      this.#journalIno = (await handle.stat()).ino;
    } finally {
      await handle.close();
    }
    this.#journalOffset = 0;
  }
}

class Transaction implements SimTx {
  readonly ops: Op[] = [];
  readonly #undo: Array<() => void> = [];
  readonly #tables: Map<TableName, Table<{ key: string }>>;
  readonly companyId: string;

  constructor(tables: Map<TableName, Table<{ key: string }>>, companyId: string) {
    this.#tables = tables;
    this.companyId = companyId;
  }
  table<T extends TableName>(name: T): ReadonlyTable<TableRecords[T]> {
    return this.#tables.get(name) as unknown as ReadonlyTable<TableRecords[T]>;
  }
  put<T extends TableName>(name: T, record: TableRecords[T]): void {
    const t = this.#tables.get(name)!;
    const prev = t.get(record.key);
    this.#undo.push(prev ? () => t.set(prev) : () => t.remove(record.key));
    t.set(record);
    this.ops.push(['p', name, record]);
  }
  del(name: TableName, key: string): void {
    const t = this.#tables.get(name)!;
    const prev = t.get(key);
    if (!prev) return;
    this.#undo.push(() => t.set(prev));
    t.remove(key);
    this.ops.push(['d', name, key]);
  }
  newKey(name: TableName): string {
    const t = this.#tables.get(name)!;
    t.seq += 1;
    this.#undo.push(() => {
      t.seq -= 1;
    });
    this.ops.push(['s', name, t.seq]);
    return String(t.seq);
  }
  rollback(): void {
    for (const u of this.#undo.reverse()) u();
    this.#undo.length = 0;
    this.ops.length = 0;
  }
}

async function statIdentity(file: string): Promise<FileIdentity | undefined> {
  try {
    const st = await fs.stat(file);
    return { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  if (!a || !b) return a === b;
  return a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.size === b.size;
}
