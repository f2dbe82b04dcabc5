import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { acquireFileLock } from '@roster/sim-kit';
import writeFileAtomic from 'write-file-atomic';

/** A connection as the sandbox keeps it: what Getint's UI shows (never a token or password). */
export interface SandboxConnection {
  id: string;
  name: string;
  app: string;
  url: string;
  sharing: string;
  account: unknown;
  createdAt: string;
  updatedAt: string;
  /** When the token was last replaced (Edit › new token). */
  tokenChangedAt: string;
}

interface Doc {
  format: 'roster-getint-sandbox';
  version: 1;
  seq: number;
  connections: SandboxConnection[];
}

/**
 * The sandbox's connections, in `<dir>/getint.json`: every change reads, modifies and rewrites
 * the file under a cross-process lock, so a `roster sandbox serve` and a `roster apply` on the same
 * sandbox never lose each other's writes.
 */
export class SandboxStore {
  readonly file: string;
  constructor(readonly dir: string) {
    this.file = path.join(dir, 'getint.json');
  }

  async read(): Promise<SandboxConnection[]> {
    return (await this.#load()).connections;
  }

  /** Run `change` on the current document under the lock and save what it leaves. */
  async update<T>(change: (doc: { connections: SandboxConnection[]; nextId(): string }) => T): Promise<T> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const lock = await acquireFileLock(`${this.file}.lock`);
    try {
      const doc = await this.#load();
      const result = change({
        connections: doc.connections,
        nextId: () => String(++doc.seq),
      });
      await writeFileAtomic(this.file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
      return result;
    } finally {
      await lock.release();
    }
  }

  async #load(): Promise<Doc> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return { format: 'roster-getint-sandbox', version: 1, seq: 0, connections: [] };
      throw err;
    }
    const doc = JSON.parse(text) as Doc;
    if (doc.format !== 'roster-getint-sandbox') throw new Error(`${this.file} is not a Getint sandbox`);
    return doc;
  }
}
