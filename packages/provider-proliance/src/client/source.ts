import { promises as fs } from 'node:fs';
import { acquireFileLock, type FileLock } from '@roster/sim-kit';
import type { ExportSettings } from '../config.js';
import { type ColumnOverrides, type ExportFiles, type ParsedExport, REGISTER_NAMES } from './format.js';
import { ExportError, readExport } from './read-export.js';

export interface ExportSourceOptions {
  delimiter?: string;
  /** Headers by register and column key (`export.columns`). */
  columns?: ColumnOverrides;
  /** Refuse an export whose oldest file is older than this (hours); undefined: any age. */
  maxAgeHours?: number;
  /**
   * Held while the files are read, so a writer (the sandbox regenerating its export) is never seen
   * half-way through the four files.
   */
  lock?: () => Promise<FileLock>;
  now?: () => Date;
}

/**
 * The registers' export as roster reads it: the four CSV files, parsed once and read again only
 * when one of them changed (size, modification time or inode), so a plan reads each file once and
 * a manual step's read-back sees the export the operator took after the step.
 */
export class ExportSource {
  readonly files: ExportFiles;
  readonly #opts: ExportSourceOptions;
  #cached: { stamp: string; data: ParsedExport } | undefined;
  #loads = 0;

  constructor(files: ExportFiles, opts: ExportSourceOptions = {}) {
    this.files = files;
    this.#opts = opts;
  }

  /** How many times the files were read and parsed (not served from the cache). */
  get loads(): number {
    return this.#loads;
  }

  /** The current export (re-read when a file changed). */
  async load(): Promise<ParsedExport> {
    const lock = await this.#opts.lock?.();
    try {
      const stamp = await this.#stamp();
      let data: ParsedExport;
      if (this.#cached && stamp !== undefined && this.#cached.stamp === stamp) data = this.#cached.data;
      else {
        data = await readExport(this.files, {
          ...(this.#opts.delimiter !== undefined ? { delimiter: this.#opts.delimiter } : {}),
          ...(this.#opts.columns !== undefined ? { columns: this.#opts.columns } : {}),
        });
        this.#loads += 1;
        if (stamp !== undefined) this.#cached = { stamp, data };
      }
      this.#checkAge(data);
      return data;
    } finally {
      await lock?.release();
    }
  }

  /** Identity of the four files; undefined when one cannot be stat'ed (the read then says why). */
  async #stamp(): Promise<string | undefined> {
    try {
      const stats = await Promise.all(REGISTER_NAMES.map((r) => fs.stat(this.files[r])));
      return stats.map((s) => `${s.ino}:${s.size}:${s.mtimeMs}`).join('|');
    } catch {
      return undefined;
    }
  }

  #checkAge(data: ParsedExport): void {
    const max = this.#opts.maxAgeHours;
    if (max === undefined) return;
    const now = (this.#opts.now ?? (() => new Date()))();
    const ageHours = (now.getTime() - Date.parse(data.exportedAt)) / 3_600_000;
    if (ageHours > max) {
      throw new ExportError(
        `the export is ${Math.floor(ageHours)} hours old (its oldest file was written ${data.exportedAt}), older than export.maxAgeHours (${max}): export the Staff, Contacts, Accounts and Security Roles registers again`,
      );
    }
  }
}

/** The export the settings name (a real one, or a running sandbox's, read under its lock). */
export function exportSourceFor(cfg: ExportSettings): ExportSource {
  const lock = cfg.lock;
  return new ExportSource(cfg.files, {
    delimiter: cfg.delimiter,
    ...(cfg.columns !== undefined ? { columns: cfg.columns } : {}),
    ...(cfg.maxAgeHours !== undefined ? { maxAgeHours: cfg.maxAgeHours } : {}),
    ...(lock !== undefined ? { lock: () => acquireFileLock(lock) } : {}),
  });
}
