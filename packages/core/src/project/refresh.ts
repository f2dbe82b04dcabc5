import path from 'node:path';
import { type Diagnostic, DiagnosticsError, UserError } from '../diagnostics.js';
import type { KindSession } from '../kind-operations.js';
import { apiMethod, kindSession } from '../kind-operations.js';
import type { Logger } from '../logger.js';
import type { RemoteSnapshot } from '../plan/remote-snapshot.js';
import { type ProgressListener, refreshProgress } from '../progress.js';
import type { RemoteObject } from '../provider.js';
import type { SandboxHosts, StartedSandbox } from '../sandbox-host.js';
import type { Secret } from '../secret.js';
import { ensureStateDir } from '../state/local-backend.js';
import type { StateDocument } from '../state/types.js';
import { type ConfiguredProvider, originsOf } from './project.js';
import { DEFAULT_REFRESH_CONCURRENCY, type RefreshMode, refreshPerObject } from './refresh-per-object.js';

/** Open connections to the configured systems, closed together. */
export class Connections {
  readonly byName = new Map<string, KindSession>();
  /** Simulators started for `endpoint: sandbox`, closed after the connections to them. */
  readonly #sandboxes: StartedSandbox[] = [];

  static async open(req: {
    providers: Iterable<ConfiguredProvider>;
    stateDir: string;
    readOnly: boolean;
    log: Logger;
    only?: ReadonlySet<string>;
    /** `--api-budget`, passed to every provider (see `ConnectRequest.apiBudget`). */
    apiBudget?: number;
    /** The providers' sandboxes, started for Provider documents with `endpoint: sandbox`. */
    sandboxes?: SandboxHosts;
  }): Promise<Connections> {
    const out = new Connections();
    const providers = [...req.providers];
    // Sandboxes live in .roster/: create it (0700, with its .gitignore) before any of them does.
    if (providers.some((p) => p.sandbox)) await ensureStateDir(req.stateDir);
    const connectOne = async (p: ConfiguredProvider): Promise<void> => {
      const chosen = credentialsFor(p, req.readOnly);
      req.log.debug(describeCredentials(p.name, req.readOnly, chosen));
      const host = p.sandbox ? await req.sandboxes?.(p.provider.type) : undefined;
      if (p.sandbox && !host)
        throw new UserError(
          `provider ${p.name}: endpoint "sandbox", but provider type ${p.provider.type} has no sandbox in this build of roster`,
        );
      const started = host
        ? await host.start({
            name: p.name,
            config: p.config,
            credentials: chosen.credentials,
            ...(chosen.set === 'read' ? { readCredentials: true } : {}),
            dir: sandboxDirOf(req.stateDir, p.name),
            log: req.log,
          })
        : undefined;
      if (started) out.#sandboxes.push(started);
      const config = started?.config ?? p.config;
      const conn = await p.provider.connect({
        name: p.name,
        config,
        credentials: chosen.credentials,
        readOnly: req.readOnly,
        ...(chosen.set === 'read' ? { readCredentials: true } : {}),
        ...(req.apiBudget !== undefined ? { apiBudget: req.apiBudget } : {}),
        log: req.log,
      });
      const sandboxConsole = started
        ? host?.console?.({
            name: p.name,
            config,
            ...(started.consoleToken ? { token: started.consoleToken } : {}),
            credentials: chosen.credentials,
            log: req.log,
          })
        : undefined;
      out.byName.set(p.name, kindSession(p.provider.kinds, conn, sandboxConsole));
    };
    // Every connection is awaited, failed or not, before any is given up on: one still starting
    // when another fails (an embedded simulator listening on a port) would otherwise be added after
    // the close below and keep the process alive.
    const settled = await Promise.allSettled(
      providers
        .filter((p) => !req.only || req.only.has(p.name))
        .map((p) => connectOne(p).catch((err: unknown) => Promise.reject(atProviderDocument(err, p)))),
    );
    const failures = settled
      .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
      .map((s) => s.reason);
    if (failures.length > 0) {
      await out.close();
      // Every Provider document refused is named at once, not only the first to fail.
      if (failures.length > 1 && failures.every((f) => f instanceof DiagnosticsError)) {
        throw new DiagnosticsError(failures.flatMap((f: DiagnosticsError) => f.diagnostics));
      }
      throw failures[0];
    }
    return out;
  }

  /** API usage so far, per provider. */
  stats(): { apiCalls: number; apiCallsByProvider: Record<string, number>; throttled: number } {
    const byProvider: Record<string, number> = {};
    let apiCalls = 0;
    let throttled = 0;
    for (const [name, c] of [...this.byName].sort(([a], [b]) => a.localeCompare(b))) {
      const s = c.stats();
      byProvider[name] = s.apiCalls;
      apiCalls += s.apiCalls;
      throttled += s.throttled;
    }
    return { apiCalls, apiCallsByProvider: byProvider, throttled };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.byName.values()].map((c) => c.close()));
    this.byName.clear();
    await Promise.allSettled(this.#sandboxes.splice(0).map((s) => s.close()));
  }
}

/**
 * A provider's refusal to connect with its configuration (a real endpoint without credentials, a
 * read-only set for apply) placed at its Provider document, like every other error about a
 * manifest. Other errors, and connections made from a saved plan (no document), pass unchanged.
 */
function atProviderDocument(err: unknown, p: ConfiguredProvider): unknown {
  const doc = p.document as ConfiguredProvider['document'] | undefined;
  if (!(err instanceof UserError) || err.exitCode !== 1 || !doc) return err;
  const pointer = doc.spec.endpoint !== undefined ? '/spec/endpoint' : '/spec';
  return new DiagnosticsError([
    {
      severity: 'error',
      code: 'provider.connect',
      message: err.message,
      address: doc.address,
      ...doc.source.positionOf(pointer),
    },
  ]);
}

/** The credential set a connection signs in with, and which one it is. */
export interface ChosenCredentials {
  /** `read`: the Provider document's `credentials.read`; `write`: its top-level `credentials`. */
  set: 'read' | 'write';
  credentials: Record<string, Secret | undefined>;
}

/**
 * Which credentials a connection gets. A read-only connection (plan, drift, test) uses
 * `credentials.read` when the Provider document gives it, so a scheduled drift job never holds write
 * access; a read-write one (apply) always uses the top-level set and never the read one, so a
 * read-only account can never end up doing writes. A Provider that gives only `read` can be planned
 * but not applied: that refusal is one clear message here, before any system is contacted.
 */
export function credentialsFor(
  p: Pick<ConfiguredProvider, 'name' | 'credentials' | 'readCredentials'> & {
    document?: ConfiguredProvider['document'];
  },
  readOnly: boolean,
): ChosenCredentials {
  if (readOnly && p.readCredentials) return resolved(p, { set: 'read', credentials: p.readCredentials });
  if (!readOnly && p.readCredentials && Object.keys(p.credentials).length === 0) {
    throw new UserError(
      `provider ${p.name} has only read-only credentials (credentials.read): apply needs write credentials. Add them to its credentials block, next to read (e.g. \${env:NAME}), and run apply where those are set`,
    );
  }
  return resolved(p, { set: 'write', credentials: p.credentials });
}

/**
 * `chosen`, once every secret in it holds a value. Credentials are resolved only when used: the
 * loader keeps an unset variable or unreadable file of a Provider document as `Secret.unresolved`,
 * and only the set a connection signs in with must resolve. Its problems are the loader's errors
 * (`file:line:column: error[manifest.env-unset]: …`), all of them at once; the other set's are
 * never reported.
 */
function resolved(
  p: { document?: ConfiguredProvider['document'] },
  chosen: ChosenCredentials,
): ChosenCredentials {
  const problems = unresolvedCredentials(chosen.credentials, p.document?.address);
  if (problems.length > 0) throw new DiagnosticsError(problems);
  return chosen;
}

/**
 * Every credential set a Provider document declares, resolved (`roster sandbox serve`: the served
 * sandbox stands in for the system, which knows both of roster's accounts). Throws the errors of
 * those that are not, at their manifest lines.
 */
export function requireAllCredentials(
  p: Pick<ConfiguredProvider, 'credentials' | 'readCredentials' | 'document'>,
): void {
  const address = p.document?.address;
  const problems = [
    ...unresolvedCredentials(p.credentials, address),
    ...(p.readCredentials ? unresolvedCredentials(p.readCredentials, address) : []),
  ];
  if (problems.length > 0) throw new DiagnosticsError(problems);
}

/** The errors of a credential set's secrets that could not be resolved, at their manifest lines. */
export function unresolvedCredentials(
  credentials: Record<string, Secret | undefined>,
  address?: string,
): Diagnostic[] {
  return Object.values(credentials)
    .filter((s): s is Secret => s?.problem !== undefined)
    .map((s) => ({ ...s.problem!, ...(address && !s.problem!.address ? { address } : {}) }));
}

/** The debug line naming the credentials a connection uses: keys and origins, never values. */
export function describeCredentials(name: string, readOnly: boolean, chosen: ChosenCredentials): string {
  const mode = readOnly ? 'read-only' : 'read-write';
  const origins = originsOf(chosen.credentials);
  const where = Object.entries(origins)
    .map(([k, o]) => `${k} from ${o}`)
    .join(', ');
  const block = chosen.set === 'read' ? 'credentials.read' : 'credentials';
  return `${name}: ${mode} connection signs in with ${where ? `${block} (${where})` : 'no credentials (none declared)'}`;
}

/** Where a sandbox provider persists its simulated system. */
export function sandboxDirOf(stateDir: string, providerName: string): string {
  return path.join(stateDir, 'sandbox', providerName);
}

/**
 * Read every kind the manifests or the state use, all providers and kinds concurrently. `bulk`
 * (the default) reads each kind with the system's bulk list (one request per page, never one per
 * object); `per-object` reads each object in state by id, `concurrency` at a time (how Terraform
 * refreshes; for comparison, see `refreshPerObject`).
 */
export async function refresh(req: {
  connections: Connections;
  kinds: Map<string, Set<string>>;
  log: Logger;
  /** Kinds the system cannot read at all (capability `read: none`): planning keeps them from state. */
  unreadable?: (provider: string, kind: string) => boolean;
  /** Default `bulk`. */
  mode?: RefreshMode;
  /** `per-object`: reads in flight at once, across all providers (default 10, 1–64). */
  concurrency?: number;
  /** `per-object`: the objects to read by id. */
  state?: StateDocument;
  /** `per-object`: the declared resources (a kind with one not in state is listed in bulk). */
  desired?: ReadonlyArray<{ address: string; provider: string; kind: string }>;
  /** Told as each kind is read (its bulk list, or every object of it by id). */
  onProgress?: ProgressListener;
}): Promise<{ remote: RemoteSnapshot; ms: number }> {
  const started = performance.now();
  if (req.mode === 'per-object') {
    const remote = await refreshPerObject({
      connections: req.connections.byName,
      kinds: req.kinds,
      log: req.log,
      ...(req.unreadable ? { unreadable: req.unreadable } : {}),
      concurrency: req.concurrency ?? DEFAULT_REFRESH_CONCURRENCY,
      state: req.state,
      desired: req.desired ?? [],
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    });
    return { remote, ms: Math.round(performance.now() - started) };
  }
  const remote: RemoteSnapshot = new Map();
  const jobs: Array<Promise<void>> = [];
  const progress = refreshProgress(req.onProgress);
  for (const [provider, kinds] of req.kinds) {
    const conn = req.connections.byName.get(provider);
    if (!conn) continue;
    const perKind = new Map<string, RemoteObject[]>();
    remote.set(provider, perKind);
    for (const kind of [...kinds].sort()) {
      if (req.unreadable?.(provider, kind)) continue;
      const listed = progress.add(`${provider}/${kind}`);
      jobs.push(
        apiMethod(
          conn,
          'list',
          kind,
        )({ kind }).then((r) => {
          perKind.set(kind, r.objects);
          req.log.debug(`refreshed ${provider}/${kind}: ${r.objects.length} object(s)`);
          listed();
        }),
      );
    }
  }
  await Promise.all(jobs);
  return { remote, ms: Math.round(performance.now() - started) };
}

/** The kinds to read per provider: those the manifests declare and those the state holds. */
export function kindsToRefresh(
  desired: Iterable<{ provider: string; kind: string }>,
  state: StateDocument | undefined,
  providers: ReadonlySet<string>,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (p: string, k: string) => {
    if (!providers.has(p)) return;
    let s = out.get(p);
    if (!s) {
      s = new Set();
      out.set(p, s);
    }
    s.add(k);
  };
  for (const d of desired) add(d.provider, d.kind);
  for (const r of Object.values(state?.resources ?? {})) add(r.provider, r.kind);
  return out;
}
