import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { ensureStateDir } from '../state/local-backend.js';
import type { TenantResult } from './tenant-result.js';

/**
 * Where the last result of each tenant is kept, for `roster fleet status` (and a queue worker's
 * results): one record per tenant, replaced by the next run of any fleet command but validate.
 */
export interface FleetResults {
  /** Record a tenant's latest result (replacing the one before). */
  record(tenant: string, result: TenantResult): Promise<void>;
  /** Every tenant's latest result, sorted by tenant name. */
  latest(): Promise<TenantResult[]>;
  /** Where the results are, for messages. */
  readonly location: string;
}

/** The local backend's results: `<fleet>/.roster/results/<tenant>.json`. */
export class LocalFleetResults implements FleetResults {
  readonly #dir: string;
  readonly #stateDir: string;

  constructor(fleetDir: string) {
    this.#stateDir = path.join(fleetDir, '.roster');
    this.#dir = path.join(this.#stateDir, 'results');
  }

  get location(): string {
    return this.#dir;
  }

  async record(tenant: string, result: TenantResult): Promise<void> {
    await ensureStateDir(this.#stateDir);
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(path.join(this.#dir, `${tenant}.json`), `${JSON.stringify(result, null, 2)}\n`, {
      mode: 0o600,
    });
  }

  async latest(): Promise<TenantResult[]> {
    let names: string[];
    try {
      names = (await readdir(this.#dir)).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return [];
    }
    const out: TenantResult[] = [];
    for (const n of names) {
      try {
        out.push(JSON.parse(await readFile(path.join(this.#dir, n), 'utf8')) as TenantResult);
      } catch {
        // A file being replaced or damaged by hand: its tenant shows as never run.
      }
    }
    return out.sort((a, b) => a.tenant.localeCompare(b.tenant));
  }
}
