import { randomUUID } from 'node:crypto';
import { type FileHandle, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { JournalStore } from '../state/types.js';
import { GroupAppender } from './group-append.js';

/** The journal's file name in the state directory. */
export const JOURNAL_FILE = 'journal';

/**
 * `intent`: written (and fsync'd) before the remote call; `done`: the call succeeded (with the
 * object's id); `failed`: it did not complete (an error, or a manual step left pending).
 */
export type JournalPhase = 'intent' | 'done' | 'failed';

/**
 * One line of `.roster/journal`. Never a secret value: addresses, natural keys, ids and the
 * idempotency token are what the systems themselves show.
 */
export interface JournalEntry {
  /** Position in the journal, increasing across runs. */
  seq: number;
  /** The apply run that wrote it. */
  runId: string;
  /** ISO time. */
  at: string;
  address: string;
  provider: string;
  kind: string;
  /** The plan's action (create, update, replace, deactivate, delete, rotate). */
  operation: string;
  naturalKey: string;
  idempotencyKey?: string;
  phase: JournalPhase;
  /**
   * On an intent: the id of the object the operation acts on (the one a replace removes);
   * on `done`: the id of the resulting object.
   */
  id?: string;
  /** On `done`/`failed`: the `seq` of its intent. */
  intentSeq?: number;
}

/** What a caller writes; the journal adds `seq`, `runId` and `at`. */
export type JournalRecord = Omit<JournalEntry, 'seq' | 'runId' | 'at'>;

/** The journal of `stateDir`. */
export function journalPath(stateDir: string): string {
  return path.join(stateDir, JOURNAL_FILE);
}

/**
 * Read every complete entry. A crash can leave the last line torn (no newline, or half a JSON
 * object): it is ignored — its append never finished, so the operation it announced never started.
 */
export async function readJournal(file: string): Promise<JournalEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const end = text.lastIndexOf('\n');
  const out: JournalEntry[] = [];
  for (const line of text.slice(0, end + 1).split('\n')) {
    if (!line) continue;
    try {
      const e = JSON.parse(line) as JournalEntry;
      if (typeof e.seq === 'number' && typeof e.address === 'string' && typeof e.phase === 'string')
        out.push(e);
    } catch {
      // Only the last line can be torn (appends after it start on a clean line); skip it.
    }
  }
  return out;
}

/**
 * Intents without an outcome, in journal order. A create or replace that `failed` is included:
 * a call that timed out or lost its connection may still have made the object.
 */
export function unfinishedIntents(entries: readonly JournalEntry[]): JournalEntry[] {
  // By run and position: journals merged from a team backend may repeat positions across runs.
  const outcome = new Map<string, JournalPhase>();
  for (const e of entries)
    if (e.phase !== 'intent' && e.intentSeq !== undefined) outcome.set(`${e.runId}:${e.intentSeq}`, e.phase);
  return entries.filter((e) => {
    if (e.phase !== 'intent') return false;
    const o = outcome.get(`${e.runId}:${e.seq}`);
    if (o === undefined) return true;
    return o === 'failed' && (e.operation === 'create' || e.operation === 'replace');
  });
}

/** The `done` entry of an intent, if any (it carries the id of the object made). */
export function outcomeOf(entries: readonly JournalEntry[], intent: JournalEntry): JournalEntry | undefined {
  return entries.find((e) => e.phase !== 'intent' && e.intentSeq === intent.seq && e.runId === intent.runId);
}

/**
 * The write-ahead journal of one apply run: appended to `.roster/journal` (mode 0600) with the local
 * backend, to the team backend's copy (`roster_journal`) with a database backend — never both: the
 * journal that counts is where state is, so a run on any machine finds it. Each append is durable
 * (fsync'd, or committed) before it resolves, and appends land in call order, so an intent is stored
 * before the remote call it announces. Appends made while a write is in flight share the next write
 * (group commit).
 */
export class JournalWriter {
  /** The local file, or `undefined` when the journal lives in the team backend only. */
  readonly file: string | undefined;
  readonly runId: string;
  #handle: FileHandle | undefined;
  #seq: number;
  readonly #appender: GroupAppender<JournalEntry>;
  #closed = false;
  readonly #open = new Set<number>();
  readonly #store: JournalStore | undefined;

  private constructor(
    file: string | undefined,
    handle: FileHandle | undefined,
    nextSeq: number,
    runId: string,
    store: JournalStore | undefined,
  ) {
    this.file = file;
    this.#handle = handle;
    this.#seq = nextSeq;
    this.runId = runId;
    this.#store = store;
    this.#appender = new GroupAppender(async (entries) => {
      if (this.#handle) {
        await this.#handle.appendFile(entries.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
        await this.#handle.datasync();
      }
      await this.#store?.append(entries);
    });
  }

  /**
   * Open the journal for a run: entries of earlier runs stay (reconciliation may not have settled
   * them all); a torn last line of the file is cut off so the next entry starts on a line of its own.
   * `file` undefined: the journal is the team backend's `store` only.
   */
  static async open(
    file: string | undefined,
    runId: string = randomUUID(),
    store?: JournalStore,
  ): Promise<JournalWriter> {
    if (file === undefined) {
      if (!store) throw new Error('a journal needs a file or a team backend store');
      let next = 1;
      for (const e of await store.read()) next = Math.max(next, e.seq + 1);
      return new JournalWriter(undefined, undefined, next, runId, store);
    }
    const handle = await open(file, 'a+', 0o600);
    try {
      await handle.chmod(0o600);
      const { size } = await handle.stat();
      let next = 1;
      if (size > 0) {
        const text = (await handle.readFile({ encoding: 'utf8' })) as string;
        const end = text.lastIndexOf('\n');
        if (end + 1 !== Buffer.byteLength(text)) {
          await handle.truncate(Buffer.byteLength(text.slice(0, end + 1)));
          await handle.datasync();
        }
        for (const e of await readJournal(file)) next = Math.max(next, e.seq + 1);
      }
      return new JournalWriter(file, handle, next, runId, store);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Where the journal is, for messages. */
  get location(): string {
    return this.file ?? 'the state backend (roster_journal)';
  }

  /** Append one entry and make it durable; resolves with the entry once it is. */
  append(record: JournalRecord): Promise<JournalEntry> {
    if (this.#closed) return Promise.reject(new Error(`the journal ${this.location} is closed`));
    const entry: JournalEntry = {
      seq: this.#seq++,
      runId: this.runId,
      at: new Date().toISOString(),
      ...record,
    };
    if (entry.phase === 'intent') this.#open.add(entry.seq);
    else if (entry.intentSeq !== undefined) this.#open.delete(entry.intentSeq);
    return this.#appender.push(entry).then(() => entry);
  }

  /** True when every intent this run wrote has its outcome. */
  get settled(): boolean {
    return this.#open.size === 0;
  }

  /**
   * End the run's journal once state holds every outcome, dropping what is finished: entries of
   * earlier runs that are still unfinished (reconciliation could not settle them) are kept, the
   * rest is emptied, so the journal stays small.
   */
  async finish(): Promise<void> {
    await this.close();
    const entries =
      this.file !== undefined ? await readJournal(this.file) : ((await this.#store?.read()) ?? []);
    const keep = unfinishedIntents(entries).filter((e) => e.runId !== this.runId);
    if (this.file !== undefined) await rewriteJournal(this.file, keep);
    await this.#store?.replace(keep);
  }

  /** Close the file, keeping every entry (a run that ends with outcomes missing from state). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#appender.idle();
    await this.#handle?.close();
  }
}

/**
 * Replace the journal with `entries` (atomically: temp file, fsync, rename), e.g. empty once
 * reconciliation settled everything.
 */
export async function rewriteJournal(file: string, entries: readonly JournalEntry[]): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    if (entries.length > 0) await handle.writeFile(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}
