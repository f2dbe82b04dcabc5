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
 * The write-ahead journal of one apply run, appended to `.roster/journal` (mode 0600). Each append
 * is fsync'd before it resolves, and appends reach the file in call order, so an intent is on disk
 * before the remote call it announces. Appends made while a write is in flight share the next
 * write and its fsync (group commit).
 */
export class JournalWriter {
  readonly file: string;
  readonly runId: string;
  #handle: FileHandle;
  #seq: number;
  readonly #appender: GroupAppender<JournalEntry>;
  #closed = false;
  readonly #open = new Set<number>();
  readonly #mirror: JournalStore | undefined;

  private constructor(
    file: string,
    handle: FileHandle,
    nextSeq: number,
    runId: string,
    mirror: JournalStore | undefined,
  ) {
    this.file = file;
    this.#handle = handle;
    this.#seq = nextSeq;
    this.runId = runId;
    this.#mirror = mirror;
    this.#appender = new GroupAppender(async (entries) => {
      await this.#handle.appendFile(entries.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
      await this.#handle.datasync();
      // The team backend's copy, after the local one is durable.
      await this.#mirror?.append(entries);
    });
  }

  /**
   * Open the journal for a run: entries of earlier runs stay (reconciliation may not have settled
   * them all); a torn last line is cut off so the next entry starts on a line of its own.
   */
  static async open(
    file: string,
    runId: string = randomUUID(),
    mirror?: JournalStore,
  ): Promise<JournalWriter> {
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
      return new JournalWriter(file, handle, next, runId, mirror);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Append one entry and fsync it; resolves with the entry once it is durable. */
  append(record: JournalRecord): Promise<JournalEntry> {
    if (this.#closed) return Promise.reject(new Error(`the journal ${this.file} is closed`));
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
    const keep = unfinishedIntents(await readJournal(this.file)).filter((e) => e.runId !== this.runId);
    await rewriteJournal(this.file, keep);
    await this.#mirror?.replace(keep);
  }

  /** Close the file, keeping every entry (a run that ends with outcomes missing from state). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#appender.idle();
    await this.#handle.close();
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
