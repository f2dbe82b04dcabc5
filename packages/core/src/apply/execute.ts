import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { Logger } from '../logger.js';
import { isOutputRef, isRef, stableStringify } from '../plan/canonical.js';
import { remoteFingerprint } from '../plan/remote-fingerprint.js';
import { type RemoteSnapshot, withUnreadableKinds } from '../plan/remote-snapshot.js';
import { revealAll } from '../plan/reveal.js';
import type { Plan, PlannedChange } from '../plan/types.js';
import type {
  AttributeRule,
  KindDefinition,
  ProviderConnection,
  RemoteObject,
  ResolvedRef,
} from '../provider.js';
import { fingerprintSecret, isSecret, SENSITIVE_PLACEHOLDER, type Secret } from '../secret.js';
import type { Attestation, StateBackend, StateDocument, StateResource } from '../state/types.js';
import type { AuditLog, AuditOutcome } from './audit.js';
import type { JournalWriter } from './journal.js';
import { type ManualOperator, PendingStepError, verifyAttributes } from './manual.js';

/**
 * Where a test may make the process die (`ROSTER_TEST_KILL_AFTER_OPS`): after an intent is on disk
 * and before its call; after the call returned and before its outcome is journaled; after the
 * outcome is journaled and before state is written.
 */
export type CrashPhase = 'intent' | 'call' | 'done';

/** What the executor needs: a plan, live connections, the state under lock. */
export interface ExecuteInput {
  plan: Plan;
  /** Remote objects as refreshed just before apply (priors for updates, ids for references). */
  remote: RemoteSnapshot;
  connections: ReadonlyMap<string, ProviderConnection>;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
  backend: StateBackend;
  state: StateDocument;
  /** Values of sensitive attributes (masked in the plan), read from the manifests at apply time. */
  sensitiveValue?(address: string, attribute: string): unknown;
  /** Concurrent operations per provider. */
  concurrency: number;
  log: Logger;
  /** Aborting stops scheduling new operations; those in flight finish and are recorded. */
  signal?: AbortSignal;
  now?: () => Date;
  /** Called when an operation starts and ends (progress output). */
  onEvent?(event: ExecuteEvent): void;
  /** Carries out manual steps; without one every manual step is left pending. */
  operator?: ManualOperator;
  /** Who confirms manual steps (recorded in attestations): `$ROSTER_ACTOR` or the OS user. */
  actor?: string;
  /**
   * Store a secret the system showed once where the resource's credentials point (`env:`/`file:`).
   * Returns why it could not, or undefined when stored.
   */
  storeSecret?(origin: string, value: Secret): Promise<string | undefined>;
  /**
   * The run's write-ahead journal: an intent before each operation that calls a system, its
   * outcome after. The executor ends it (`finish`) once state holds every outcome.
   */
  journal?: JournalWriter;
  /** The run's audit log: one line per operation and its outcome. */
  audit?: AuditLog;
  /** Test hook only: called at each crash point of each journaled operation. */
  crashPoint?(phase: CrashPhase): void;
}

export type ExecuteEvent =
  | { type: 'start'; change: PlannedChange }
  | { type: 'done'; change: PlannedChange; ms: number }
  | { type: 'failed'; change: PlannedChange; message: string }
  | { type: 'skipped'; change: PlannedChange; reason: string }
  | { type: 'pending'; change: PlannedChange; reason: string }
  | { type: 'notice'; change: PlannedChange; message: string };

export interface ExecuteResult {
  state: StateDocument;
  applied: PlannedChange[];
  failed: Array<{ change: PlannedChange; message: string }>;
  skipped: Array<{ change: PlannedChange; reason: string }>;
  /** Manual steps not done yet (and the changes that wait for them), in plan order. */
  pending: Array<{ change: PlannedChange; reason: string }>;
  interrupted: boolean;
  /**
   * Why the last state write failed, when state could not be written at the end: what was done is
   * in the journal, and the next run reconciles it.
   */
  stateError?: string;
}

/** The shortest time between two state checkpoints of a journaled apply. */
const CHECKPOINT_MIN_MS = 1000;

/**
 * Carry out a plan: operations in dependency order, bounded concurrency per provider; every outcome
 * journaled as it happens and state written in checkpoints (after every operation when there is no
 * journal), so a failure, interrupt or kill loses nothing already done.
 */
export async function executePlan(input: ExecuteInput): Promise<ExecuteResult> {
  const now = input.now ?? (() => new Date());
  const actor = input.actor ?? 'unknown';
  const state: StateDocument = structuredClone(input.state);
  const applied: PlannedChange[] = [];
  const failed: ExecuteResult['failed'] = [];
  const skipped: ExecuteResult['skipped'] = [];
  const pendingSteps: ExecuteResult['pending'] = [];
  const live = new Map<string, RemoteObject>();
  const manualNumbers = new Map<number, number>();
  for (const c of input.plan.changes)
    if (c.execution === 'manual') manualNumbers.set(c.index, manualNumbers.size + 1);

  // State lives in memory and is written to the backend in one of two ways:
  // - without a journal, every operation waits until a write holds it (writes are serialised and
  //   coalesced: what arrives while a write is in flight shares the next one);
  // - with the journal, every outcome is already durable there before state records it, so state
  //   is written as checkpoints: spaced by CHECKPOINT_MIN_MS, or by 4× the last write's duration
  //   when that is longer, and once at the end. A whole-state write per operation made large
  //   applies quadratic (10,000 creates wrote 10,000 states of up to 10,000 resources); this way
  //   writing state stays a bounded share of the run. A run killed between checkpoints loses
  //   nothing: the next run reconciles the journal's outcomes into state (reconcile.ts).
  const checkpoints = input.journal !== undefined;
  let dirty = false;
  let waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  let writing: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finishing = false;
  let lastWriteEnd = performance.now();
  let lastWriteMs = 0;
  /** Why the last state write failed, while state in memory holds more than the backend. */
  let stateError: unknown;
  const writeState = async (): Promise<void> => {
    while (dirty) {
      dirty = false;
      const batchWaiters = waiters;
      waiters = [];
      const expected = state.serial;
      const started = performance.now();
      try {
        state.serial = expected + 1;
        // A shallow copy is a consistent snapshot: mutations replace resources, never edit them.
        await input.backend.write(
          {
            ...state,
            resources: { ...state.resources },
            ...(state.pending ? { pending: { ...state.pending } } : {}),
          },
          expected,
        );
        stateError = undefined;
        for (const w of batchWaiters) w.resolve();
      } catch (err) {
        state.serial = expected;
        stateError = err;
        dirty = true;
        for (const w of batchWaiters) w.reject(err);
        // Not again at once: the next commit (without a journal) or the end of the run tries
        // again; with checkpoints no new operation starts meanwhile (see run).
        break;
      } finally {
        lastWriteEnd = performance.now();
        lastWriteMs = lastWriteEnd - started;
      }
      if (checkpoints && !finishing) break;
    }
    writing = undefined;
    if (checkpoints && dirty && !finishing && stateError === undefined) scheduleCheckpoint();
  };
  const scheduleCheckpoint = () => {
    if (timer || writing) return;
    const spacing = Math.max(CHECKPOINT_MIN_MS, 4 * lastWriteMs);
    timer = setTimeout(
      () => {
        timer = undefined;
        writing ??= writeState();
      },
      Math.max(0, lastWriteEnd + spacing - performance.now()),
    );
  };
  /** Change state in memory; resolves once it is written (without a journal) or at once (with one). */
  const commit = (mutate: (doc: StateDocument) => void): Promise<void> => {
    mutate(state);
    dirty = true;
    if (checkpoints) {
      scheduleCheckpoint();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      waiters.push({ resolve, reject });
      writing ??= writeState();
    });
  };

  const plan = input.plan;
  if (plan.forget.length > 0 || plan.accept.length > 0) {
    await commit((doc) => {
      for (const a of plan.forget) delete doc.resources[a];
      for (const a of plan.accept) {
        const r = doc.resources[a.address];
        if (r) {
          r.attributes = a.attributes;
          r.remoteFingerprint = a.remoteFingerprint;
          if (a.lifecycle) {
            if (Object.keys(a.lifecycle).length > 0) r.lifecycle = a.lifecycle;
            else delete r.lifecycle;
          }
        }
      }
    });
  }

  /** Map key of an object by provider, kind and id or natural key. */
  const keyOf = (provider: string, kind: string, idOrKey: string) =>
    `${provider}\u0000${kind}\u0000${idOrKey}`;
  const remoteById = new Map<string, RemoteObject>();
  const remoteByKey = new Map<string, RemoteObject>();
  const snapshot = withUnreadableKinds({
    remote: input.remote,
    state: input.state,
    desired: plan.changes,
    kindOf: input.kindOf,
  });
  for (const [provider, kinds] of snapshot) {
    for (const [kind, objects] of kinds) {
      for (const o of objects) {
        remoteById.set(keyOf(provider, kind, o.id), o);
        if (!o.conflict) remoteByKey.set(keyOf(provider, kind, o.naturalKey), o);
      }
    }
  }

  // Resources in state by provider, kind and natural key, for references: a scan of state per
  // reference made an apply of n accounts that reference a role O(n²). record() keeps it current;
  // an entry that no longer matches (a renamed object) falls back to the scan.
  const stateKeys = new Map<string, string>();
  for (const [address, r] of Object.entries(state.resources)) {
    const k = keyOf(r.provider, r.kind, r.naturalKey);
    if (!stateKeys.has(k)) stateKeys.set(k, address);
  }
  const stateByKey = (provider: string, kind: string, naturalKey: string): StateResource | undefined => {
    const address = stateKeys.get(keyOf(provider, kind, naturalKey));
    const r = address !== undefined ? state.resources[address] : undefined;
    if (r && r.provider === provider && r.kind === kind && r.naturalKey === naturalKey) return r;
    if (address === undefined) return undefined;
    return Object.values(state.resources).find(
      (x) => x.provider === provider && x.kind === kind && x.naturalKey === naturalKey,
    );
  };

  const limiters = new Map<string, ReturnType<typeof pLimit>>();
  const limiterFor = (provider: string) => {
    let l = limiters.get(provider);
    if (!l) {
      l = pLimit(Math.max(1, input.concurrency));
      limiters.set(provider, l);
    }
    return l;
  };

  // true: done; 'pending': a manual step it is or waits for is not done yet; false: failed/skipped.
  type Outcome = true | false | 'pending';
  const outcome = new Map<number, Promise<Outcome>>();
  const run = (change: PlannedChange): Promise<Outcome> => {
    const existing = outcome.get(change.index);
    if (existing) return existing;
    const p = (async (): Promise<Outcome> => {
      const deps = await Promise.all(change.dependsOn.map((i) => run(plan.changes[i]!)));
      if (deps.some((ok) => ok === false)) {
        const reason = 'an operation it depends on did not complete';
        skipped.push({ change, reason });
        input.onEvent?.({ type: 'skipped', change, reason });
        await audited(change, 'skipped', reason);
        return false;
      }
      if (deps.some((ok) => ok === 'pending')) {
        const waitsFor = change.dependsOn
          .map((i) => plan.changes[i]!)
          .filter((c) => pendingSteps.some((p) => p.change.index === c.index))
          .map((c) => c.address);
        const reason = `waits for ${[...new Set(waitsFor)].join(', ')}`;
        pendingSteps.push({ change, reason });
        if (change.execution === 'manual') await markPending(change);
        input.onEvent?.({ type: 'pending', change, reason });
        await audited(change, 'pending', reason);
        return 'pending';
      }
      return limiterFor(change.provider)(async () => {
        if (checkpoints && stateError !== undefined) {
          // Outcomes the journal holds but state does not must not pile up: stop, as for an interrupt.
          const reason = `not started: state could not be written (${stateError instanceof Error ? stateError.message : String(stateError)})`;
          skipped.push({ change, reason });
          input.onEvent?.({ type: 'skipped', change, reason });
          await audited(change, 'skipped', reason);
          return false;
        }
        if (input.signal?.aborted) {
          const reason = 'interrupted before it started';
          skipped.push({ change, reason });
          input.onEvent?.({ type: 'skipped', change, reason });
          await audited(change, 'skipped', reason);
          return false;
        }
        const started = Date.now();
        input.onEvent?.({ type: 'start', change });
        try {
          await journalIntent(change);
          await perform(change);
          await journalOutcome(change, 'done', live.get(change.address)?.id);
          applied.push(change);
          input.onEvent?.({ type: 'done', change, ms: Date.now() - started });
          await audited(change, 'done');
          return true;
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          await journalOutcome(change, 'failed').catch(() => {});
          if (err instanceof PendingStepError) {
            pendingSteps.push({ change, reason: message });
            await markPending(change);
            input.onEvent?.({ type: 'pending', change, reason: message });
            await audited(change, 'pending', message);
            return 'pending';
          }
          failed.push({ change, message });
          input.onEvent?.({ type: 'failed', change, message });
          await audited(change, 'failed', message);
          return false;
        }
      });
    })();
    outcome.set(change.index, p);
    return p;
  };

  // The journal's open intents, by change index: the seq of the intent, and whether it has its outcome.
  const intents = new Map<number, { seq: number; finished: boolean }>();
  const journalIntent = async (change: PlannedChange): Promise<void> => {
    // An import changes nothing in the system, and a reconfirmation only asks a person.
    if (!input.journal || change.action === 'import' || change.action === 'no-op') return;
    const step = change.action === 'replace' ? 'create' : change.action;
    const entry = await input.journal.append({
      address: change.address,
      provider: change.provider,
      kind: change.kind,
      operation: change.action,
      naturalKey: change.naturalKey,
      ...(['create', 'replace', 'update', 'deactivate'].includes(change.action)
        ? { idempotencyKey: idempotencyKey(change, step) }
        : {}),
      phase: 'intent',
      ...(change.id !== undefined ? { id: change.id } : {}),
    });
    intents.set(change.index, { seq: entry.seq, finished: false });
    input.crashPoint?.('intent');
  };
  /** Journal the outcome of a change's remote call(s), once, before state records it. */
  const journalOutcome = async (
    change: PlannedChange,
    phase: 'done' | 'failed',
    id?: string,
  ): Promise<void> => {
    const open = intents.get(change.index);
    if (!input.journal || !open || open.finished) return;
    if (phase === 'done') input.crashPoint?.('call');
    open.finished = true;
    await input.journal.append({
      address: change.address,
      provider: change.provider,
      kind: change.kind,
      operation: change.action,
      naturalKey: change.naturalKey,
      phase,
      ...(id !== undefined ? { id } : {}),
      intentSeq: open.seq,
    });
    if (phase === 'done') input.crashPoint?.('done');
  };
  const audited = (change: PlannedChange, outcome: AuditOutcome, message?: string): Promise<void> => {
    if (!input.audit) return Promise.resolve();
    const id = live.get(change.address)?.id ?? change.id;
    return input.audit.append({
      type: 'operation',
      address: change.address,
      action: change.action,
      outcome,
      ...(id !== undefined ? { id } : {}),
      ...(message !== undefined ? { message } : {}),
    });
  };

  const kindDef = (change: PlannedChange): KindDefinition => {
    const def = input.kindOf(change.provider, change.kind);
    if (!def) throw new Error(`provider ${change.provider} has no kind ${change.kind}`);
    return def;
  };
  const connection = (change: PlannedChange): ProviderConnection => {
    const c = input.connections.get(change.provider);
    if (!c) throw new Error(`no connection for provider ${change.provider}`);
    return c;
  };

  const resolveRef = (provider: string, targetKind: string | undefined, value: unknown): unknown => {
    if (isOutputRef(value)) return outputValue(value.ref, value.output);
    if (!isRef(value)) return value;
    const out: ResolvedRef = { ref: value.ref };
    if (targetKind) {
      const inState = stateByKey(provider, targetKind, value.ref);
      const id = inState?.id ?? remoteByKey.get(keyOf(provider, targetKind, value.ref))?.id;
      if (id !== undefined) out.id = id;
    }
    return out;
  };

  /**
   * The value `output` of the object at `address`: from this run if it was just made, else as
   * refreshed. Held in memory only (it may be a secret): plans and state keep the reference.
   */
  const outputValue = (address: string, output: string): unknown => {
    const st = state.resources[address];
    const object = live.get(address) ?? (st ? remoteById.get(keyOf(st.provider, st.kind, st.id)) : undefined);
    const v = object?.outputs?.[output];
    if (v === undefined)
      throw new Error(
        `${address} has produced no ${output} (the system does not report it, or it does not exist yet)`,
      );
    return v;
  };

  /** Attribute values for the API: references resolved to ids, secrets revealed, masks replaced. */
  const wireValues = (change: PlannedChange, attrs: Record<string, unknown>, keys: readonly string[]) => {
    const def = kindDef(change);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const rule: AttributeRule | undefined = def.attributes[key];
      let value = attrs[key];
      if (value === SENSITIVE_PLACEHOLDER && (rule?.sensitive || rule?.writeOnly)) {
        value = input.sensitiveValue?.(change.address, key);
        if (value === undefined) {
          throw new Error(
            `the value of ${key} is not available: apply with the manifests (-f) that declare it`,
          );
        }
      }
      const resolved = Array.isArray(value)
        ? value.map((v) => resolveRef(change.provider, rule?.ref, v))
        : resolveRef(change.provider, rule?.ref, value);
      out[key] = revealAll(resolved);
    }
    return out;
  };

  /** Attributes as state keeps them: sensitive values only as salted fingerprints. */
  const stateAttributes = (
    change: PlannedChange,
    attrs: Record<string, unknown>,
  ): Record<string, unknown> => {
    const def = kindDef(change);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(attrs)) {
      const rule = def.attributes[key];
      if (rule?.sensitive || rule?.writeOnly) {
        const v = input.sensitiveValue?.(change.address, key);
        if (v !== undefined)
          out[key] = fingerprintSecret(isSecret(v) ? v.reveal() : JSON.stringify(revealAll(v)));
      } else out[key] = value;
    }
    return out;
  };

  const record = async (
    change: PlannedChange,
    read: RemoteObject,
    attributes: Record<string, unknown>,
    attest?: { keys: readonly string[]; via: Attestation['via'] },
  ) => {
    const previousResource = state.resources[change.address];
    // Credentials are issued when the account is made (or replaced) and when they are rotated.
    const issuedNow =
      change.credentials !== undefined && ['create', 'replace', 'rotate'].includes(change.action);
    const credentialsIssuedAt = issuedNow
      ? now().toISOString()
      : (previousResource?.credentialsIssuedAt ??
        (change.credentials !== undefined ? now().toISOString() : undefined));
    const def = kindDef(change);
    // A replacement is finished only once the old object is removed too (journaled after that).
    if (change.action !== 'replace') await journalOutcome(change, 'done', read.id);
    // A kind the system cannot read is, to roster, what it recorded (planning reads it from state).
    const object: RemoteObject =
      def.capabilities.read === 'none'
        ? { id: read.id, naturalKey: read.naturalKey, attributes: stateAttributes(change, attributes) }
        : read;
    live.set(change.address, object);
    const previous = state.resources[change.address];
    const attestations: Record<string, Attestation> = {};
    // Attestations of attributes this change does not touch carry over.
    for (const [k, a] of Object.entries(previous?.id === object.id ? (previous.attestations ?? {}) : {}))
      if (k in attributes && !(attest?.keys ?? []).includes(k)) attestations[k] = a;
    for (const k of attest?.keys ?? [])
      if (k in attributes) attestations[k] = { by: actor, at: now().toISOString(), via: attest!.via };
    const resource: StateResource = {
      provider: change.provider,
      kind: change.kind,
      name: change.name,
      id: object.id,
      naturalKey: object.naturalKey,
      attributes: stateAttributes(change, attributes),
      dependencies: change.dependencies,
      ...(change.lifecycle ? { lifecycle: change.lifecycle } : {}),
      remoteFingerprint: remoteFingerprint(object),
      appliedAt: now().toISOString(),
      ...(Object.keys(attestations).length > 0 ? { attestations } : {}),
      ...(credentialsIssuedAt ? { credentialsIssuedAt } : {}),
    };
    stateKeys.set(keyOf(resource.provider, resource.kind, resource.naturalKey), change.address);
    return commit((doc) => {
      doc.resources[change.address] = resource;
      if (doc.pending?.[change.address]) {
        delete doc.pending[change.address];
        if (Object.keys(doc.pending).length === 0) delete doc.pending;
      }
    });
  };

  /** Remember a manual step handed out, so a later run can tell it was done. */
  const markPending = (change: PlannedChange) => {
    const m = change.manual;
    if (!m) return Promise.resolve();
    return commit((doc) => {
      const existing = doc.pending?.[change.address];
      doc.pending = {
        ...(doc.pending ?? {}),
        [change.address]: {
          operation: m.operation,
          title: m.runbook.title,
          issuedAt: existing && existing.operation === m.operation ? existing.issuedAt : now().toISOString(),
        },
      };
    });
  };

  const priorOf = (change: PlannedChange, id: string): RemoteObject => {
    const fromRun = live.get(change.address);
    if (fromRun && fromRun.id === id) return fromRun;
    const o = remoteById.get(keyOf(change.provider, change.kind, id));
    if (!o) throw new Error(`${change.address}: object ${id} is no longer in the system`);
    return o;
  };

  const idempotencyKey = (change: PlannedChange, step: string) =>
    createHash('sha256')
      .update(`${plan.lineage}:${plan.serial}:${change.index}:${step}:${stableStringify(change.after)}`)
      .digest('hex')
      .slice(0, 32);

  const perform = async (change: PlannedChange): Promise<void> => {
    const def = kindDef(change);
    const conn = connection(change);
    if (change.execution === 'manual' && change.manual) return performManual(change, def, conn);
    switch (change.action) {
      case 'create': {
        const after = change.after ?? {};
        const { object } = await conn.create({
          kind: change.kind,
          address: change.address,
          attributes: wireValues(change, after, Object.keys(after)),
          idempotencyKey: idempotencyKey(change, 'create'),
        });
        await record(change, object, after);
        return;
      }
      case 'replace': {
        const after = change.after ?? {};
        const oldId = change.id;
        const old =
          oldId !== undefined ? remoteById.get(keyOf(change.provider, change.kind, oldId)) : undefined;
        // A replacement that keeps the natural key (`--replace ADDR` with nothing changed) cannot be
        // created beside the old object in a system whose keys are unique: the old one goes first.
        const keyKept =
          old !== undefined && old.naturalKey === change.naturalKey && def.deleteMode === 'delete';
        if (keyKept) await removeObject(change, def, conn, old);
        const { object } = await conn.create({
          kind: change.kind,
          address: change.address,
          attributes: wireValues(change, after, Object.keys(after)),
          idempotencyKey: idempotencyKey(change, 'create'),
        });
        await record(change, object, after);
        if (!keyKept && oldId !== undefined && oldId !== object.id && old)
          await removeObject(change, def, conn, old);
        return;
      }
      case 'update': {
        const id = live.get(change.address)?.id ?? change.id;
        if (id === undefined) throw new Error(`${change.address}: no id to update`);
        const prior = priorOf(change, id);
        const before = change.before ?? {};
        const after = change.after ?? {};
        const keys = Object.keys(after).filter(
          (k) => stableStringify(before[k]) !== stableStringify(after[k]),
        );
        const { object } = await conn.update({
          kind: change.kind,
          address: change.address,
          id,
          prior,
          changes: wireValues(change, after, keys),
          idempotencyKey: idempotencyKey(change, 'update'),
        });
        await record(
          change,
          object,
          after,
          change.attestFromRunbook ? { keys: change.attestFromRunbook, via: 'runbook' } : undefined,
        );
        return;
      }
      case 'rotate': {
        const id = live.get(change.address)?.id ?? change.id;
        if (id === undefined || !conn.rotate) throw new Error(`${change.address}: cannot rotate by API`);
        const prior = priorOf(change, id);
        const result = await conn.rotate({ kind: change.kind, address: change.address, id, prior });
        await storeShownOnce(change, result.secrets);
        const base = state.resources[change.address]?.attributes ?? change.after ?? {};
        await record(change, result.object ?? prior, base);
        return;
      }
      case 'import': {
        const id = change.id;
        if (id === undefined) throw new Error(`${change.address}: no id to import`);
        await record(
          change,
          priorOf(change, id),
          change.after ?? {},
          change.attestFromRunbook ? { keys: change.attestFromRunbook, via: 'runbook' } : undefined,
        );
        return;
      }
      case 'deactivate':
      case 'delete': {
        const id = change.id;
        if (id === undefined) throw new Error(`${change.address}: no id`);
        const prior = priorOf(change, id);
        if (change.action === 'delete') {
          await conn.delete({ kind: change.kind, address: change.address, id, prior });
        } else {
          await deactivate(change, def, conn, prior);
        }
        await journalOutcome(change, 'done', id);
        await commit((doc) => {
          delete doc.resources[change.address];
        });
        return;
      }
      default:
        throw new Error(`${change.address}: action ${change.action} is not supported by this version`);
    }
  };

  const deactivate = async (
    change: PlannedChange,
    def: KindDefinition,
    conn: ProviderConnection,
    prior: RemoteObject,
  ) => {
    if (!def.deactivation) throw new Error(`${change.kind} has no deactivation attribute`);
    await conn.update({
      kind: change.kind,
      address: change.address,
      id: prior.id,
      prior,
      changes: { [def.deactivation.attribute]: def.deactivation.value },
      idempotencyKey: idempotencyKey(change, 'deactivate'),
    });
  };

  /** Store secrets a system showed once where the resource's credentials point, and say so. */
  const storeShownOnce = async (change: PlannedChange, secrets: Record<string, Secret> | undefined) => {
    const targets = change.credentials ?? {};
    for (const [credential, secret] of Object.entries(secrets ?? {})) {
      const origin = targets[credential];
      const why = !origin
        ? `the manifest names no credentials.${credential} to keep it in`
        : input.storeSecret
          ? await input.storeSecret(origin, secret)
          : 'this run cannot store secrets';
      input.onEvent?.({
        type: 'notice',
        change,
        message: why
          ? `the ${credential} the system showed once was not stored: ${why}`
          : `stored the ${credential} the system showed once in ${origin!.replace(/^file:/, '')}`,
      });
    }
  };

  /** Find the object a manual step made or changed, reading the system. */
  const readBack = async (
    change: PlannedChange,
    def: KindDefinition,
    conn: ProviderConnection,
    hint: RemoteObject | undefined,
    exceptId?: string,
  ): Promise<RemoteObject | undefined> => {
    if (def.capabilities.read === 'none') {
      return hint ?? { id: change.id ?? change.naturalKey, naturalKey: change.naturalKey, attributes: {} };
    }
    const id =
      hint?.id ?? (change.action === 'create' || change.action === 'replace' ? undefined : change.id);
    if (id !== undefined && id !== exceptId) {
      const { object } = await conn.read({ kind: change.kind, id });
      if (object) return object;
    }
    const { objects } = await conn.list({ kind: change.kind });
    return objects.find((o) => o.naturalKey === change.naturalKey && o.id !== exceptId && !o.conflict);
  };

  const performManual = async (
    change: PlannedChange,
    def: KindDefinition,
    conn: ProviderConnection,
  ): Promise<void> => {
    const m = change.manual!;
    const after = change.after ?? {};
    // What the API can do is done first, so the person only does what the UI alone can.
    if (m.operation === 'update' && m.apiAttributes.length > 0 && change.id !== undefined) {
      const id = live.get(change.address)?.id ?? change.id;
      const { object } = await conn.update({
        kind: change.kind,
        address: change.address,
        id,
        prior: priorOf(change, id),
        changes: wireValues(change, after, m.apiAttributes),
        idempotencyKey: idempotencyKey(change, 'update-api-part'),
      });
      live.set(change.address, object);
    }
    const secretTargets = change.credentials ?? {};
    const oldId = change.action === 'replace' ? change.id : undefined;
    const priorObject =
      change.id !== undefined && change.action !== 'replace'
        ? (live.get(change.address) ?? remoteById.get(keyOf(change.provider, change.kind, change.id)))
        : undefined;
    const operate = {
      kind: change.kind,
      operation: m.operation,
      address: change.address,
      name: change.name,
      naturalKey: change.naturalKey,
      attributes: wireValues(
        change,
        after,
        Object.keys(after).filter((k) => !def.attributes[k]?.sensitive && !def.attributes[k]?.writeOnly),
      ),
      ...(m.operation === 'update'
        ? {
            changes: wireValues(
              change,
              after,
              m.attributes.filter((k) => k in after),
            ),
          }
        : {}),
      ...(priorObject ? { id: priorObject.id, prior: priorObject } : {}),
    };
    let problems: string[] | undefined;
    for (let attempt = 0; ; attempt++) {
      const outcome = input.operator
        ? await input.operator.perform({
            change,
            step: m.runbook,
            number: manualNumbers.get(change.index) ?? 0,
            ...(problems ? { problems } : {}),
            secretTargets,
            connection: conn,
            operate,
          })
        : ({ status: 'pending', reason: 'manual step: a person does it in the system' } as const);
      if (outcome.status === 'pending') {
        throw new PendingStepError(problems ? `${outcome.reason}: ${problems.join('; ')}` : outcome.reason);
      }
      await storeShownOnce(change, outcome.secrets);
      const object = await readBack(change, def, conn, outcome.object, oldId);
      if (m.operation === 'rotate') {
        problems = object ? [] : [`no ${change.kind} ${change.naturalKey} found in the system`];
      } else if (m.operation === 'delete') {
        problems =
          object && object.id === change.id ? [`${change.naturalKey} still exists in the system`] : [];
      } else if (m.operation === 'deactivate') {
        problems = !object
          ? [`${change.naturalKey} is not in the system any more`]
          : object.deactivated || def.capabilities.read === 'none'
            ? []
            : [`${change.naturalKey} is still active in the system`];
      } else if (!object) {
        problems = [`no ${change.kind} ${change.naturalKey} found in the system`];
      } else {
        problems = verifyAttributes(
          def,
          after,
          object,
          m.operation === 'create' ? Object.keys(after) : m.attributes,
        );
      }
      if (problems.length === 0) {
        if (m.operation === 'delete' || m.operation === 'deactivate') {
          await journalOutcome(change, 'done', change.id);
          await commit((doc) => {
            delete doc.resources[change.address];
            if (doc.pending) delete doc.pending[change.address];
          });
          return;
        }
        const unverifiable = Object.keys(after).filter((k) => def.attributes[k]?.verifiable === false);
        const attested =
          m.operation === 'create' ? unverifiable : m.attributes.filter((k) => unverifiable.includes(k));
        if (m.operation === 'rotate') {
          const prior = state.resources[change.address];
          await record(change, object!, prior ? { ...prior.attributes } : after, undefined);
        } else if (m.operation === 'reconfirm') {
          const prior = state.resources[change.address];
          const base = prior ? { ...prior.attributes } : {};
          for (const k of m.attributes) base[k] = after[k];
          await record(change, object!, base, { keys: m.attributes, via: 'operator' });
        } else {
          await record(change, object!, after, { keys: attested, via: 'operator' });
        }
        if (oldId !== undefined && object && oldId !== object.id) {
          const prior = remoteById.get(keyOf(change.provider, change.kind, oldId));
          if (prior) await removeObject(change, def, conn, prior);
        }
        return;
      }
      if (!input.operator?.canRetry || attempt >= 4)
        throw new PendingStepError(`verification failed: ${problems.join('; ')}`);
    }
  };

  const removeObject = async (
    change: PlannedChange,
    def: KindDefinition,
    conn: ProviderConnection,
    prior: RemoteObject,
  ) => {
    if ((change.lifecycle?.onRemove ?? def.deleteMode) === 'deactivate')
      await deactivate(change, def, conn, prior);
    else await conn.delete({ kind: change.kind, address: change.address, id: prior.id, prior });
  };

  await Promise.all(plan.changes.map((c) => run(c)));
  finishing = true;
  if (timer) clearTimeout(timer);
  timer = undefined;
  await writing;
  // The final checkpoint, or another try of a write that failed.
  if (dirty) {
    writing = writeState();
    await writing;
  }
  if (input.journal) {
    // Every outcome is in state: what the journal holds of this run is no longer needed.
    if (input.journal.settled && stateError === undefined) await input.journal.finish();
    else await input.journal.close();
  }
  pendingSteps.sort((a, b) => a.change.index - b.change.index);
  return {
    state,
    applied,
    failed,
    skipped,
    pending: pendingSteps,
    interrupted: input.signal?.aborted === true,
    ...(stateError !== undefined
      ? { stateError: stateError instanceof Error ? stateError.message : String(stateError) }
      : {}),
  };
}
