import pLimit from 'p-limit';
import type { KindSession } from '../kind-operations.js';
import { apiMethod } from '../kind-operations.js';
import type { Logger } from '../logger.js';
import type { RemoteSnapshot } from '../plan/remote-snapshot.js';
import { type ProgressListener, refreshProgress } from '../progress.js';
import type { RemoteObject } from '../provider.js';
import { plural } from '../render/plural.js';
import type { StateDocument, StateResource } from '../state/types.js';

/**
 * How a plan reads the systems. `bulk` (the default): each kind with the system's bulk list, one
 * request per page. `per-object`: each object recorded in state read by its id, `concurrency` reads
 * at a time across all providers, as Terraform refreshes (`-parallelism=10`); kept to compare the
 * two, it costs one or more API calls per object.
 */
export type RefreshMode = 'bulk' | 'per-object';

/** Reads in flight at once in `per-object` mode, like Terraform's default `-parallelism`. */
export const DEFAULT_REFRESH_CONCURRENCY = 10;
/** The largest `concurrency` accepted (`roster plan --refresh-concurrency`). */
export const MAX_REFRESH_CONCURRENCY = 64;

/** Whether `n` is a valid per-object refresh concurrency: an integer in 1–64. */
export function validRefreshConcurrency(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_REFRESH_CONCURRENCY;
}

/**
 * The per-object refresh: every object recorded in state of a readable kind read with `read({kind,
 * id})`, at most `concurrency` reads in flight across all providers. An object whose read returns
 * nothing was deleted outside roster and is absent from the snapshot, as a bulk list would leave it.
 *
 * Some kinds are still listed in bulk, because only a list can answer what the plan asks of them:
 * - a kind with a desired resource (a manifest) not in state: the plan looks for an existing
 *   object with its natural key, to adopt it or to report a conflict, and no id is known to read;
 * - a kind whose recorded object that a manifest still declares is gone (read returns nothing):
 *   the plan looks for an object with its natural key (made again outside roster) before it plans
 *   a create, exactly as after a bulk list;
 * - a kind whose read fails: every built-in provider reads each of its readable kinds by id
 *   (Intacct, AFAS, Autotask API users, Proliance; Getint and the kinds with capability `read: none`
 *   are never refreshed), but a provider that cannot read by id must cost a comparison run one list,
 *   not fail the plan. If the list fails too, its error is the plan's.
 * Kinds with capability `read: none` are skipped, as in bulk mode (`unreadable`).
 */
export async function refreshPerObject(req: {
  connections: ReadonlyMap<string, KindSession>;
  kinds: Map<string, Set<string>>;
  log: Logger;
  unreadable?: (provider: string, kind: string) => boolean;
  concurrency: number;
  state: StateDocument | undefined;
  desired: ReadonlyArray<{ address: string; provider: string; kind: string }>;
  /** Told as each kind is read. */
  onProgress?: ProgressListener;
}): Promise<RemoteSnapshot> {
  if (!validRefreshConcurrency(req.concurrency)) {
    throw new Error(
      `refresh concurrency must be an integer from 1 to ${MAX_REFRESH_CONCURRENCY}, got ${req.concurrency}`,
    );
  }
  // One limiter for every provider: at most `concurrency` reads in flight in all.
  const limit = pLimit(req.concurrency);
  const resources = Object.entries(req.state?.resources ?? {});
  const declared = new Set(req.desired.map((d) => d.address));
  const remote: RemoteSnapshot = new Map();
  const jobs: Array<Promise<void>> = [];
  const progress = refreshProgress(req.onProgress);
  for (const [provider, kinds] of req.kinds) {
    const conn = req.connections.get(provider);
    if (!conn) continue;
    const perKind = new Map<string, RemoteObject[]>();
    remote.set(provider, perKind);
    for (const kind of [...kinds].sort()) {
      if (req.unreadable?.(provider, kind)) continue;
      const what = `${provider}/${kind}`;
      const read = progress.add(what);
      const recorded = resources.filter(([, r]) => r.provider === provider && r.kind === kind);
      const recordedAt = new Set(recorded.map(([address]) => address));
      const unrecorded = req.desired.filter(
        (d) => d.provider === provider && d.kind === kind && !recordedAt.has(d.address),
      );
      let job: Promise<RemoteObject[]>;
      if (unrecorded.length > 0 || recorded.length === 0) {
        const why =
          unrecorded.length > 0
            ? `${plural(unrecorded.length, 'declared object')} not in state`
            : 'no object of it in state';
        job = listKind(conn, kind, req.log, what, why);
      } else {
        job = readKind({ conn, kind, what, recorded, declared, limit, log: req.log });
      }
      jobs.push(
        job.then((objects) => {
          perKind.set(kind, objects);
          read();
        }),
      );
    }
  }
  await Promise.all(jobs);
  return remote;
}

async function listKind(
  conn: KindSession,
  kind: string,
  log: Logger,
  what: string,
  why: string,
): Promise<RemoteObject[]> {
  const r = await apiMethod(conn, 'list', kind)({ kind });
  log.debug(`refreshed ${what}: ${r.objects.length} object(s), listed in bulk (${why})`);
  return r.objects;
}

/** Read one kind's recorded objects by id; the kind's bulk list instead when that cannot answer. */
async function readKind(req: {
  conn: KindSession;
  kind: string;
  what: string;
  recorded: Array<[string, StateResource]>;
  declared: ReadonlySet<string>;
  limit: ReturnType<typeof pLimit>;
  log: Logger;
}): Promise<RemoteObject[]> {
  const { conn, kind, what, log } = req;
  let listed: Promise<RemoteObject[]> | undefined;
  const listInstead = (why: string): Promise<RemoteObject[]> => {
    if (!listed) {
      listed = listKind(conn, kind, log, what, why);
      // Awaited once the reads settle; until then, a failure must not count as unhandled.
      listed.catch(() => {});
    }
    return listed;
  };
  // Two addresses may record the same id: one read, one object in the snapshot (as in a list).
  const ids = new Map<string, string[]>();
  for (const [address, r] of req.recorded) ids.set(r.id, [...(ids.get(r.id) ?? []), address]);
  const read = await Promise.all(
    [...ids].map(([id, addresses]) =>
      req.limit(async () => {
        if (listed) return { id, addresses, object: undefined }; // the kind is listed instead
        try {
          return { id, addresses, object: (await apiMethod(conn, 'read', kind)({ kind, id })).object };
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          // One warning per kind, even when several reads in flight fail together.
          if (!listed) {
            log.warn(
              `${what}: reading object ${id} by id failed (${message}); listing ${kind} in bulk instead`,
            );
            listInstead(`read by id failed: ${message}`);
          }
          return { id, addresses, object: undefined };
        }
      }),
    ),
  );
  if (listed) return listed;
  const gone = read.filter((r) => !r.object && r.addresses.some((a) => req.declared.has(a)));
  if (gone.length > 0) {
    return listInstead(
      `${plural(gone.length, 'declared object')} no longer found by id: looked for by natural key`,
    );
  }
  const objects = read.flatMap((r) => (r.object ? [r.object] : []));
  objects.sort((a, b) => compare(a.naturalKey, b.naturalKey) || compare(a.id, b.id));
  log.debug(`refreshed ${what}: ${objects.length} of ${ids.size} object(s) read by id`);
  return objects;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
