import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { ensureStateDir } from '../state/local-backend.js';
import type { Fleet } from './load-fleet.js';

/** What a fleet apply has finished so far, so that an interrupted one resumes where it stopped. */
export interface FleetApplyProgress {
  /** Derived from what is applied: the fleet's documents and the tenants selected. */
  runId: string;
  /** Tenants applied completely (nothing failed, nothing pending). */
  completed: string[];
}

/**
 * The run id of a fleet apply: a hash of the baseline's and the selected tenants' documents (as
 * parsed: credentials are `${env:…}`/`${file:…}` references, never values) and of the selection.
 * The same manifests and selection give the same id, so a re-run after an interruption resumes;
 * any change to them starts a new run.
 */
export function fleetRunId(fleet: Fleet, tenants: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(fleet.baseline.map((d) => d.value)));
  hash.update(JSON.stringify(fleet.backend?.value ?? null));
  for (const t of fleet.tenants.filter((x) => tenants.includes(x.name))) {
    hash.update(JSON.stringify([t.name, t.document.value, t.documents.map((d) => d.value)]));
  }
  return hash.digest('hex').slice(0, 16);
}

/** `<fleet>/.roster/fleet-apply.json`: the progress of the last fleet apply that did not finish. */
export class FleetApplyLog {
  readonly #stateDir: string;
  readonly #file: string;

  constructor(fleetDir: string) {
    this.#stateDir = path.join(fleetDir, '.roster');
    this.#file = path.join(this.#stateDir, 'fleet-apply.json');
  }

  /** The progress of an unfinished run with this id, or undefined (none, or another run's). */
  async resume(runId: string): Promise<FleetApplyProgress | undefined> {
    try {
      const p = JSON.parse(await readFile(this.#file, 'utf8')) as FleetApplyProgress;
      return p.runId === runId && Array.isArray(p.completed) ? p : undefined;
    } catch {
      return undefined;
    }
  }

  async save(progress: FleetApplyProgress): Promise<void> {
    await ensureStateDir(this.#stateDir);
    await writeFileAtomic(this.#file, `${JSON.stringify(progress, null, 2)}\n`, { mode: 0o600 });
  }

  /** The run finished: the next apply starts from the beginning. */
  async finish(): Promise<void> {
    await rm(this.#file, { force: true });
  }
}
