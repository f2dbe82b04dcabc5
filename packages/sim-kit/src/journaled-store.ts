import { promises as fs } from 'node:fs';
import path from 'node:path';
import { acquireFileLock, type FileLock } from './file-lock.js';
import type { JournalOp, KeyedRecord, StoreTable, TableTransaction } from './table-transaction.js';

interface JournalLine {
  /** Generation of the snapshot this line follows; lines of older generations are in the snapshot already. */
  g: number;
  ops: JournalOp[];
}

interface SnapshotDoc {
  format: string;
  version: 1;
  generation: number;
  savedAt: string;
  tables: Record<string, { seq: number; rows: KeyedRecord[] }>;
}

interface FileIdentity {
  ino: number;
  mtimeMs: number;
  size: number;
}

interface Pending<Tx> {
  fn: (tx: Tx) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Writes a file atomically (temp file, fsync, rename): the signature of `write-file-atomic`. */
export type AtomicFileWriter = (
  file: string,
  data: string,
  opts: { fsync: boolean; mode?: number },
) => Promise<void>;

/** How a {@link JournaledStore} persists one simulator's tables. */
export interface JournaledStoreOptions<Tx extends TableTransaction> {
  /** The (empty) tables, in the order the snapshot lists them. */
  tables: ReadonlyMap<string, StoreTable>;
  /** A new transaction over `tables`. */
  newTransaction: () => Tx;
  /** Directory to persist in; undefined keeps everything in memory. */
  dir?: string;
  /** File name without extension: `<dir>/<fileBase>.json`, `.journal` and `.lock`. */
  fileBase: string;
  /** The snapshot's `format` (e.g. `roster-afas-sandbox`); a snapshot of another format is refused. */
  format: string;
  /** The system's name in the error for a snapshot of another format ("not a roster AFAS sandbox"). */
  systemName: string;
  /** Fields the snapshot carries after `version`, for the reader's information (e.g. `{ companyId }`). */
  header?: Record<string, string>;
  /** Fills a brand-new store. */
  init?: (tx: Tx) => void;
  /** Rewrite the snapshot once the journal grows past this many bytes (and past the snapshot). */
  compactBytes: number;
  /** Permission bits of the snapshot and of the journal it empties; undefined: the defaults. */
  fileMode?: number;
  /**
   * Replaces the snapshot. Passed in (as `write-file-atomic`) so the simulators keep writing their
   * snapshots the way they always have.
   */
  writeFileAtomic: AtomicFileWriter;
  /** Passed to the cross-process lock. */
  lockStaleMs?: number;
  lockTimeoutMs?: number;
}

/**
 * A simulator's tables persisted as a JSON snapshot plus an append-only journal.
 *
 * Why a journal: rewriting the snapshot on every request would make a bulk apply quadratic. Each
 * transaction appends one fsync'd line instead; the snapshot is rewritten atomically (temp file +
 * fsync + rename) only when the journal has grown as large as the snapshot, so the cost per write
 * stays constant on average.
 *
 * Why a lock file: an in-process sandbox (`roster plan`) and `roster sandbox serve` may share the
 * directory. Every write runs under the cross-process lock, first catching up with whatever the
 * other process wrote (re-reading the snapshot if it was replaced, or the new journal lines), so
 * no update is lost. Transactions queued meanwhile in this process are committed together under
 * one lock and one fsync (group commit). Reads skip the lock when neither file changed.
 */
export class JournaledStore<Tx extends TableTransaction> {
  /** Bumped on every change seen by this process (query caches key on it). */
  version = 0;
  readonly #tables: ReadonlyMap<string, StoreTable>;
  readonly #newTransaction: () => Tx;
  readonly #init: ((tx: Tx) => void) | undefined;
  readonly #format: string;
  readonly #systemName: string;
  readonly #header: Record<string, string>;
  readonly #compactBytes: number;
  readonly #fileMode: number | undefined;
  readonly #writeFileAtomic: AtomicFileWriter;
  readonly #lockOpts: { staleMs?: number; timeoutMs?: number };
  readonly #snapshotPath: string | undefined;
  readonly #journalPath: string | undefined;
  readonly #lockPath: string | undefined;
  #generation = 0;
  #snap: FileIdentity | undefined;
  #journalIno = 0;
  #journalOffset = 0;
  #queue: Array<Pending<Tx>> = [];
  #draining: Promise<void> | undefined;
  #needsReload = false;
  #closed = false;

  private constructor(opts: JournaledStoreOptions<Tx>) {
    this.#tables = opts.tables;
    this.#newTransaction = opts.newTransaction;
    this.#init = opts.init;
    this.#format = opts.format;
    this.#systemName = opts.systemName;
    this.#header = opts.header ?? {};
    this.#compactBytes = opts.compactBytes;
    this.#fileMode = opts.fileMode;
    this.#writeFileAtomic = opts.writeFileAtomic;
    this.#lockOpts = {
      ...(opts.lockStaleMs !== undefined ? { staleMs: opts.lockStaleMs } : {}),
      ...(opts.lockTimeoutMs !== undefined ? { timeoutMs: opts.lockTimeoutMs } : {}),
    };
    if (opts.dir) {
      const base = path.join(opts.dir, opts.fileBase);
      this.#snapshotPath = `${base}.json`;
      this.#journalPath = `${base}.journal`;
      this.#lockPath = `${base}.lock`;
    }
  }

  /** Open the store: load its files, or seed it (and write its first snapshot when persisted). */
  static async open<Tx extends TableTransaction>(
    opts: JournaledStoreOptions<Tx>,
  ): Promise<JournaledStore<Tx>> {
    const store = new JournaledStore(opts);
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

  /** Bring the tables up to date with what other processes wrote, if their files changed. */
  async catchUp(): Promise<void> {
    if (this.#snapshotPath && (this.#needsReload || (await this.#changedOnDisk()))) {
      await this.transact(() => undefined);
    }
  }

  /**
   * Run `fn` as one transaction: under the cross-process lock, on up-to-date data, made durable
   * before the promise resolves. `fn` is synchronous so nothing else interleaves with it.
   */
  transact<T>(fn: (tx: Tx) => T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the sandbox store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.#kick();
    });
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
      // Queued after the drain loop last looked, before this ran: start again.
      if (this.#queue.length > 0) this.#kick();
    });
  }

  #seed(): void {
    if (!this.#init) return;
    this.#init(this.#newTransaction());
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
      const results: Array<{ p: Pending<Tx>; ok: boolean; value: unknown; wrote: boolean }> = [];
      const lines: string[] = [];
      for (const p of batch) {
        const tx = this.#newTransaction();
        try {
          const value = p.fn(tx);
          const wrote = tx.ops.length > 0;
          if (wrote) {
            lines.push(JSON.stringify({ g: this.#generation, ops: tx.ops } satisfies JournalLine));
            this.version += 1;
          }
          results.push({ p, ok: true, value, wrote });
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
        // What is in memory may now be ahead of the files: start again from them next time.
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
      // A new store (or its files were removed): seed it and write the first snapshot.
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
    if (doc.format !== this.#format || doc.version !== 1) {
      throw new Error(
        `the sandbox file ${this.#snapshotPath} is not a roster ${this.#systemName} sandbox (format ${doc.format})`,
      );
    }
    for (const [name, t] of this.#tables) {
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

  #applyOps(ops: JournalOp[]): void {
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
      format: this.#format,
      version: 1,
      ...this.#header,
      generation,
      savedAt: new Date().toISOString(),
      tables: {},
    };
    for (const [name, t] of this.#tables) doc.tables[name] = { seq: t.seq, rows: [...t.values()] };
    // A crash before the journal is emptied is harmless: its lines carry the old generation and
    // are skipped.
    await this.#writeFileAtomic(this.#snapshotPath!, JSON.stringify(doc), {
      fsync: true,
      ...(this.#fileMode !== undefined ? { mode: this.#fileMode } : {}),
    });
    this.#generation = generation;
    this.#snap = await statIdentity(this.#snapshotPath!);
    const handle = await fs.open(this.#journalPath!, 'a', this.#fileMode);
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
