import { promises as fs } from 'node:fs';
import path from 'node:path';
import { acquireFileLock, type FileLock } from '@roster/sim-kit';
import writeFileAtomic from 'write-file-atomic';
import { REGISTER_NAMES, REGISTERS, type RegisterName } from '../client/format.js';
import { filesIn } from '../client/read-export.js';
import { type Registers, seedRegisters } from './records.js';
import { renderExport } from './render-export.js';

const FILE = 'proliance-registers.json';
const LOCK = 'proliance.lock';
/** Where the sandbox writes its export, under its directory. */
export const EXPORT_SUBDIR = 'export';

export interface RegisterStoreOptions {
  /** Directory to persist in (created if missing). */
  dir: string;
  /** Passed to the cross-process lock. */
  lockStaleMs?: number;
  lockTimeoutMs?: number;
  /** Clock for seed and modification times (tests). */
  now?: () => Date;
}

interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
}

/**
 * The sandbox's registers (staff, contacts, security roles, accounts), persisted as one JSON file.
 *
 * The registers are small and change a step at a time, so each transaction rewrites the file
 * atomically (temp file, fsync, rename) under a cross-process lock file, after catching up with
 * what another process (`roster sandbox serve` next to `roster apply`) wrote. Reads take no lock:
 * the file is only ever replaced whole. Transactions of this process run one at a time.
 */
export class RegisterStore {
  readonly dir: string;
  readonly file: string;
  readonly lockPath: string;
  /** Where `writeExport` puts the CSV files by default. */
  readonly exportDir: string;
  readonly #opts: RegisterStoreOptions;
  #data: Registers | undefined;
  #identity: FileIdentity | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(opts: RegisterStoreOptions) {
    this.#opts = opts;
    this.dir = opts.dir;
    this.file = path.join(opts.dir, FILE);
    this.lockPath = path.join(opts.dir, LOCK);
    this.exportDir = path.join(opts.dir, EXPORT_SUBDIR);
  }

  /** Open the sandbox in `dir`, seeding it when it is new. */
  static async open(opts: RegisterStoreOptions): Promise<RegisterStore> {
    const store = new RegisterStore(opts);
    await fs.mkdir(opts.dir, { recursive: true });
    await store.transact(() => undefined);
    return store;
  }

  /** The current time, as records show it. */
  now(): string {
    return (this.#opts.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Take the sandbox's cross-process lock (also held while the export is written). */
  lock(): Promise<FileLock> {
    return acquireFileLock(this.lockPath, {
      ...(this.#opts.lockStaleMs !== undefined ? { staleMs: this.#opts.lockStaleMs } : {}),
      ...(this.#opts.lockTimeoutMs !== undefined ? { timeoutMs: this.#opts.lockTimeoutMs } : {}),
    });
  }

  /** Run `fn` on the current registers (read from disk if another process changed them). */
  async read<T>(fn: (reg: Readonly<Registers>) => T): Promise<T> {
    const identity = await statIdentity(this.file);
    if (!this.#data || !identity || !sameIdentity(identity, this.#identity)) {
      if (identity) await this.#load();
      else await this.transact(() => undefined); // removed under us: seed again
    }
    return fn(this.#data!);
  }

  /**
   * Run `fn` as one transaction on a copy of the registers, under the lock, on up-to-date data.
   * A throw discards the copy; otherwise the result is durable before the promise resolves.
   */
  transact<T>(fn: (reg: Registers) => T): Promise<T> {
    return this.#serial(async () => {
      const lock = await this.lock();
      try {
        await this.#refresh();
        const draft = structuredClone(this.#data!);
        const result = fn(draft);
        if (JSON.stringify(draft) !== JSON.stringify(this.#data)) await this.#save(draft);
        return result;
      } finally {
        await lock.release();
      }
    });
  }

  /**
   * Write the registers' CSV export (staff.csv, contacts.csv, accounts.csv, security-roles.csv)
   * to `dir` (default `<sandbox>/export`), from one consistent state, under the lock so readers
   * holding it never see a half-written set.
   */
  writeExport(dir: string = this.exportDir): Promise<{ dir: string; files: Record<RegisterName, string> }> {
    return this.#serial(async () => {
      await fs.mkdir(dir, { recursive: true });
      const lock = await this.lock();
      try {
        await this.#refresh();
        const texts = renderExport(this.#data!);
        const files = filesIn(dir);
        for (const name of REGISTER_NAMES) {
          await writeFileAtomic(files[name], texts[name], { fsync: true });
        }
        return { dir, files };
      } finally {
        await lock.release();
      }
    });
  }

  /** Stop taking transactions (waits for the running ones). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#chain.catch(() => {});
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the Proliance sandbox store is closed'));
    const run = this.#chain.then(fn, fn);
    this.#chain = run.catch(() => {});
    return run;
  }

  /** Catch up with the file (caller holds the lock); seed a new sandbox. */
  async #refresh(): Promise<void> {
    const identity = await statIdentity(this.file);
    if (!identity) {
      await this.#save(seedRegisters(this.now()));
      return;
    }
    if (!this.#data || !sameIdentity(identity, this.#identity)) await this.#load();
  }

  async #load(): Promise<void> {
    const text = await fs.readFile(this.file, 'utf8');
    const identity = await statIdentity(this.file);
    let doc: Registers;
    try {
      doc = JSON.parse(text) as Registers;
    } catch (err) {
      throw new Error(`the sandbox file ${this.file} is not valid JSON: ${(err as Error).message}`);
    }
    if (doc.format !== 'roster-proliance-sandbox' || doc.version !== 1) {
      throw new Error(
        `the sandbox file ${this.file} is not a roster Proliance sandbox (format ${String(doc.format)})`,
      );
    }
    this.#data = doc;
    this.#identity = identity;
  }

  async #save(doc: Registers): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(doc, null, 2)}\n`, { fsync: true });
    this.#data = doc;
    this.#identity = await statIdentity(this.file);
  }
}

/** The export file names the sandbox writes, for the README and the console. */
export const EXPORT_FILE_NAMES = REGISTER_NAMES.map((r) => REGISTERS[r].file);

async function statIdentity(file: string): Promise<FileIdentity | undefined> {
  try {
    const st = await fs.stat(file);
    return { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  if (!a || !b) return a === b;
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}
