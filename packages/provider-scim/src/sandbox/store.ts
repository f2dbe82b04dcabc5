import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { acquireFileLock } from '@roster/sim-kit';
import writeFileAtomic from 'write-file-atomic';

/** A stored resource: its attributes, `id` and `meta` (with `version`, a counter behind the ETag). */
export type Row = Record<string, unknown> & { id: string; meta: Record<string, unknown> };

/** The sandbox's data: users and groups by id. */
export interface ScimData {
  seq: number;
  Users: Record<string, Row>;
  Groups: Record<string, Row>;
}

interface Doc extends ScimData {
  format: 'roster-scim-sandbox';
  version: 1;
}

const empty = (): Doc => ({ format: 'roster-scim-sandbox', version: 1, seq: 0, Users: {}, Groups: {} });

/**
 * The sandbox's users and groups, in `<dir>/scim.json` (in memory without a directory): every change
 * reads, modifies and rewrites the file under a cross-process lock, so a `roster sandbox serve` and
 * a `roster apply` on the same sandbox never lose each other's writes. A change that throws leaves
 * the file as it was (PATCH is atomic, RFC 7644 §3.5.2).
 */
export class ScimStore {
  readonly #file: string | undefined;
  #memory: Doc = empty();

  constructor(readonly dir: string | undefined) {
    this.#file = dir !== undefined ? path.join(dir, 'scim.json') : undefined;
  }

  async read<T>(fn: (data: ScimData) => T): Promise<T> {
    return fn(structuredClone(await this.#load()));
  }

  async update<T>(fn: (data: ScimData) => T): Promise<T> {
    if (this.#file === undefined) {
      const next = structuredClone(this.#memory);
      const out = fn(next);
      this.#memory = next;
      return out;
    }
    await mkdir(this.dir!, { recursive: true, mode: 0o700 });
    const lock = await acquireFileLock(`${this.#file}.lock`);
    try {
      const doc = await this.#load();
      const out = fn(doc);
      await writeFileAtomic(this.#file, `${JSON.stringify(doc, null, 1)}\n`, { mode: 0o600 });
      return out;
    } finally {
      await lock.release();
    }
  }

  async #load(): Promise<Doc> {
    if (this.#file === undefined) return this.#memory;
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty();
      throw err;
    }
    const doc = JSON.parse(text) as Doc;
    if (doc.format !== 'roster-scim-sandbox') throw new Error(`${this.#file} is not a roster SCIM sandbox`);
    return doc;
  }
}
