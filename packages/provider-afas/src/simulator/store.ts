import { promises as fs } from 'node:fs';
import path from 'node:path';
import { acquireFileLock, type FileLock } from '@roster/sim-kit';
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

/** One change in the journal: put a record, delete a key, or advance a key sequence. */
type Op = ['p', TableName, { key: string }] | ['d', TableName, string] | ['s', TableName, number];

interface JournalLine {
  /** Generation of the snapshot this line follows; lines of older generations are in the snapshot already. */
  g: number;
  ops: Op[];
}

const FORMAT = 'roster-afas-sandbox';

interface SnapshotDoc {
  format: typeof FORMAT;
  version: 1;
  environment: string;
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

interface Pending {
  fn: (tx: SimTx) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * The simulated environment's data, persisted as a JSON snapshot plus an append-only journal.
 *
 * Why a journal: rewriting the snapshot on every KnUser call would make a bulk apply quadratic.
 * Each transaction appends one fsync'd line instead; the snapshot is rewritten atomically (temp
 * file + fsync + rename) only when the journal has grown as large as the snapshot.
 *
 * Why a lock file: an in-process sandbox (`roster plan`) and `roster sandbox serve` may share the
 * directory. Every write runs under the cross-process lock, first catching up with what the other
 * process wrote (the snapshot if it was replaced, else the new journal lines), so no update is
 * lost. Transactions queued meanwhile in this process commit together under one lock and one fsync.
 * Reads skip the lock when neither file changed.
 */
export class SimStore implements SimDb {
  readonly environment: string;
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
    this.environment = opts.environment;
    this.#compactBytes = opts.compactBytes ?? 4 * 1024 * 1024;
    this.#lockOpts = {
      ...(opts.lockStaleMs !== undefined ? { staleMs: opts.lockStaleMs } : {}),
      ...(opts.lockTimeoutMs !== undefined ? { timeoutMs: opts.lockTimeoutMs } : {}),
    };
    this.#init = opts.init;
    for (const name of TABLE_NAMES) this.#tables.set(name, new Table());
    if (opts.dir) {
      const base = path.join(opts.dir, `afas-${opts.environment.replace(/[^A-Za-z0-9._-]/g, '_')}`);
      this.#snapshotPath = `${base}.json`;
      this.#journalPath = `${base}.journal`;
      this.#lockPath = `${base}.lock`;
    }
  }

  /** Open (or create and seed) the environment's store. */
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
   * Run `fn` as one transaction: under the cross-process lock, on up-to-date data, durable before
   * the promise resolves. `fn` is synchronous so nothing else interleaves with it.
   */
  transact<T>(fn: (tx: SimTx) => T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the sandbox store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.#kick();
    });
  }

  /** Every table as plain data (the console's state dump). */
  dump(): Record<TableName, unknown[]> {
    const out = {} as Record<TableName, unknown[]>;
    for (const [name, t] of this.#tables) out[name] = t.values();
    return out;
  }

  /** Wait for queued transactions, then refuse new ones. */
  async close(): Promise<void> {
    while (this.#draining) await this.#draining;
    this.#closed = true;
  }

  #kick(): void {
    if (this.#draining) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      // Queued after the drain loop last looked: start again.
      if (this.#queue.length > 0) this.#kick();
    });
  }

  #seed(): void {
    if (!this.#init) return;
    this.#init(new Transaction(this.#tables));
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
      const results: Array<{ p: Pending; ok: boolean; value: unknown; wrote: boolean }> = [];
      const lines: string[] = [];
      for (const p of batch) {
        const tx = new Transaction(this.#tables);
        try {
          const value = p.fn(tx);
          if (tx.ops.length > 0)
            lines.push(JSON.stringify({ g: this.#generation, ops: tx.ops } satisfies JournalLine));
          results.push({ p, ok: true, value, wrote: tx.ops.length > 0 });
        } catch (err) {
          tx.rollback();
          results.push({ p, ok: false, value: err, wrote: false });
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
        // Memory may now be ahead of the files: start again from them next time.
        this.#needsReload = true;
      } finally {
        await lock?.release().catch(() => {});
      }
      for (const r of results) {
        if (writeError && r.wrote) r.p.reject(writeError);
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
      // A new environment (or its files were removed): seed it and write the first snapshot.
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
    if (doc.format !== FORMAT || doc.version !== 1) {
      throw new Error(
        `the sandbox file ${this.#snapshotPath} is not a roster AFAS sandbox (format ${doc.format})`,
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
      for (const line of buf.subarray(0, end).toString('utf8').split('\n')) {
        if (!line) continue;
        let parsed: JournalLine;
        try {
          parsed = JSON.parse(line) as JournalLine;
        } catch {
          continue; // a torn line left by a crash, overwritten by the next append
        }
        if (parsed.g === this.#generation) this.#applyOps(parsed.ops);
      }
      this.#journalOffset += end + 1;
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
      format: FORMAT,
      version: 1,
      environment: this.environment,
      generation,
      savedAt: new Date().toISOString(),
      tables: {},
    };
    for (const [name, t] of this.#tables) doc.tables[name] = { seq: t.seq, rows: t.values() };
    // A crash before the journal is emptied is harmless: its lines carry the old generation.
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

  constructor(tables: Map<TableName, Table<{ key: string }>>) {
    this.#tables = tables;
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
