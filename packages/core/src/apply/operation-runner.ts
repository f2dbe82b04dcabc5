import type { KindSession } from '../kind-operations.js';
import { apiMethod, kindCapabilities } from '../kind-operations.js';
import { stableStringify } from '../plan/canonical.js';
import { remoteFingerprint } from '../plan/remote-fingerprint.js';
import type { Plan, PlannedChange } from '../plan/types.js';
import type { KindDefinition, RemoteObject } from '../provider.js';
import type { Secret } from '../secret.js';
import type { Attestation, StateResource } from '../state/types.js';
import { idempotencyKey, type OperationJournal } from './operation-journal.js';
import type { RemoteObjects } from './remote-objects.js';
import type { StateWriter } from './state-writer.js';
import type { WireValues } from './wire-values.js';

/** What an operation of an apply works with: the run's state, objects, values and journal. */
export interface OperationContext {
  plan: Plan;
  writer: StateWriter;
  objects: RemoteObjects;
  values: WireValues;
  journal: OperationJournal;
  kindDef(change: PlannedChange): KindDefinition;
  connection(change: PlannedChange): KindSession;
  now(): Date;
  /** Who confirms manual steps (recorded in attestations). */
  actor: string;
  /** Store a secret shown once where `origin` points; returns why it could not, or undefined. */
  storeSecret?: ((origin: string, value: Secret) => Promise<string | undefined>) | undefined;
  /** Say something about a change (a secret stored or not) on the run's event stream. */
  notice(change: PlannedChange, message: string): void;
}

/** Which attributes a recorded change attests, and how they were confirmed. */
export interface Attest {
  keys: readonly string[];
  via: Attestation['via'];
}

/**
 * One API operation of a plan: its call(s) to the system, with the journal's outcome written
 * before state records the result. The intent is journaled by the caller, before `perform`.
 */
export class OperationRunner {
  readonly #ctx: OperationContext;

  constructor(ctx: OperationContext) {
    this.#ctx = ctx;
  }

  /** Carry out an API change (create, replace, update, rotate, import, deactivate, delete). */
  async perform(change: PlannedChange): Promise<void> {
    const ctx = this.#ctx;
    const def = ctx.kindDef(change);
    const conn = ctx.connection(change);
    switch (change.action) {
      case 'create':
        await this.#create(change, conn);
        return;
      case 'replace':
        return this.#replace(change, def, conn);
      case 'update':
        return this.#update(change, conn);
      case 'rotate': {
        const id = ctx.objects.live(change.address)?.id ?? change.id;
        if (id === undefined || !conn.rotate) throw new Error(`${change.address}: cannot rotate by API`);
        const prior = ctx.objects.priorOf(change, id);
        const result = await conn.rotate({ kind: change.kind, address: change.address, id, prior });
        await this.storeShownOnce(change, result.secrets);
        const base = ctx.writer.state.resources[change.address]?.attributes ?? change.after ?? {};
        await this.record(change, result.object ?? prior, base);
        return;
      }
      case 'import': {
        const id = change.id;
        if (id === undefined) throw new Error(`${change.address}: no id to import`);
        await this.record(change, ctx.objects.priorOf(change, id), change.after ?? {}, runbookAttest(change));
        return;
      }
      case 'deactivate':
      case 'delete': {
        const id = change.id;
        if (id === undefined) throw new Error(`${change.address}: no id`);
        const prior = ctx.objects.priorOf(change, id);
        if (change.action === 'delete') {
          await apiMethod(
            conn,
            'delete',
            change.kind,
          )({ kind: change.kind, address: change.address, id, prior });
        } else {
          await this.deactivate(change, def, conn, prior);
        }
        await ctx.journal.outcome(change, 'done', id);
        await ctx.writer.commit((doc) => {
          delete doc.resources[change.address];
        });
        return;
      }
      default:
        throw new Error(`${change.address}: action ${change.action} is not supported by this version`);
    }
  }

  /** Create the object and record it; answers what the system made. */
  async #create(change: PlannedChange, conn: KindSession): Promise<RemoteObject> {
    const after = change.after ?? {};
    const { object } = await apiMethod(
      conn,
      'create',
      change.kind,
    )({
      kind: change.kind,
      address: change.address,
      attributes: this.#ctx.values.wire(change, after, Object.keys(after)),
      idempotencyKey: idempotencyKey(this.#ctx.plan, change, 'create'),
    });
    await this.record(change, object, after);
    return object;
  }

  async #replace(change: PlannedChange, def: KindDefinition, conn: KindSession): Promise<void> {
    const oldId = change.id;
    const old = oldId !== undefined ? this.#ctx.objects.byId(change.provider, change.kind, oldId) : undefined;
    // A replacement that keeps the natural key (`--replace ADDR` with nothing changed) cannot be
    // created beside the old object in a system whose keys are unique: the old one goes first.
    const keyKept = old !== undefined && old.naturalKey === change.naturalKey && def.deleteMode === 'delete';
    if (keyKept) await this.removeObject(change, def, conn, old);
    const object = await this.#create(change, conn);
    if (!keyKept && oldId !== undefined && oldId !== object.id && old)
      await this.removeObject(change, def, conn, old);
  }

  async #update(change: PlannedChange, conn: KindSession): Promise<void> {
    const ctx = this.#ctx;
    const id = ctx.objects.live(change.address)?.id ?? change.id;
    if (id === undefined) throw new Error(`${change.address}: no id to update`);
    const prior = ctx.objects.priorOf(change, id);
    const before = change.before ?? {};
    const after = change.after ?? {};
    const keys = Object.keys(after).filter((k) => stableStringify(before[k]) !== stableStringify(after[k]));
    const { object } = await apiMethod(
      conn,
      'update',
      change.kind,
    )({
      kind: change.kind,
      address: change.address,
      id,
      prior,
      changes: ctx.values.wire(change, after, keys),
      idempotencyKey: idempotencyKey(ctx.plan, change, 'update'),
    });
    await this.record(change, object, after, runbookAttest(change));
  }

  /** Set a kind's deactivation attribute: how a deactivating kind is removed. */
  async deactivate(
    change: PlannedChange,
    def: KindDefinition,
    conn: KindSession,
    prior: RemoteObject,
  ): Promise<void> {
    if (!def.deactivation) throw new Error(`${change.kind} has no deactivation attribute`);
    await apiMethod(
      conn,
      'update',
      change.kind,
    )({
      kind: change.kind,
      address: change.address,
      id: prior.id,
      prior,
      changes: { [def.deactivation.attribute]: def.deactivation.value },
      idempotencyKey: idempotencyKey(this.#ctx.plan, change, 'deactivate'),
    });
  }

  /** Remove the object a replacement leaves behind, as the resource's removal mode says. */
  async removeObject(
    change: PlannedChange,
    def: KindDefinition,
    conn: KindSession,
    prior: RemoteObject,
  ): Promise<void> {
    if ((change.lifecycle?.onRemove ?? def.deleteMode) === 'deactivate')
      await this.deactivate(change, def, conn, prior);
    else
      await apiMethod(
        conn,
        'delete',
        change.kind,
      )({ kind: change.kind, address: change.address, id: prior.id, prior });
  }

  /** Store secrets a system showed once where the resource's credentials point, and say so. */
  async storeShownOnce(change: PlannedChange, secrets: Record<string, Secret> | undefined): Promise<void> {
    const targets = change.credentials ?? {};
    for (const [credential, secret] of Object.entries(secrets ?? {})) {
      const origin = targets[credential];
      const why = !origin
        ? `the manifest names no credentials.${credential} to keep it in`
        : this.#ctx.storeSecret
          ? await this.#ctx.storeSecret(origin, secret)
          : 'this run cannot store secrets';
      this.#ctx.notice(
        change,
        why || !origin
          ? `the ${credential} the system showed once was not stored: ${why}`
          : `stored the ${credential} the system showed once in ${origin.replace(/^file:/, '')}`,
      );
    }
  }

  /**
   * Record what an operation made or changed: its outcome in the journal (a replacement's only
   * once the old object is removed too), then the resource in state.
   */
  async record(
    change: PlannedChange,
    read: RemoteObject,
    attributes: Record<string, unknown>,
    attest?: Attest,
  ): Promise<void> {
    const ctx = this.#ctx;
    const now = ctx.now;
    const previous = ctx.writer.state.resources[change.address];
    // Credentials are issued when the account is made (or replaced) and when they are rotated.
    const issuedNow =
      change.credentials !== undefined && ['create', 'replace', 'rotate'].includes(change.action);
    const credentialsIssuedAt = issuedNow
      ? now().toISOString()
      : (previous?.credentialsIssuedAt ??
        (change.credentials !== undefined ? now().toISOString() : undefined));
    const def = ctx.kindDef(change);
    if (change.action !== 'replace') await ctx.journal.outcome(change, 'done', read.id);
    // A kind the system cannot read is, to roster, what it recorded (planning reads it from state).
    const object: RemoteObject =
      kindCapabilities(def).read === 'none'
        ? { id: read.id, naturalKey: read.naturalKey, attributes: ctx.values.forState(change, attributes) }
        : read;
    ctx.objects.setLive(change.address, object);
    const current = ctx.writer.state.resources[change.address];
    const attestations: Record<string, Attestation> = {};
    // Attestations of attributes this change does not touch carry over.
    for (const [k, a] of Object.entries(current?.id === object.id ? (current.attestations ?? {}) : {}))
      if (k in attributes && !(attest?.keys ?? []).includes(k)) attestations[k] = a;
    for (const k of attest?.keys ?? [])
      if (k in attributes) attestations[k] = { by: ctx.actor, at: now().toISOString(), via: attest!.via };
    const resource: StateResource = {
      provider: change.provider,
      kind: change.kind,
      name: change.name,
      id: object.id,
      naturalKey: object.naturalKey,
      attributes: ctx.values.forState(change, attributes),
      dependencies: change.dependencies,
      ...(change.lifecycle ? { lifecycle: change.lifecycle } : {}),
      remoteFingerprint: remoteFingerprint(object),
      appliedAt: now().toISOString(),
      ...(Object.keys(attestations).length > 0 ? { attestations } : {}),
      ...(credentialsIssuedAt ? { credentialsIssuedAt } : {}),
      // The last `roster test` sign-in belongs to the object: an update keeps it, a replacement not.
      ...(current?.id === object.id && current.lastSignInAt ? { lastSignInAt: current.lastSignInAt } : {}),
    };
    return ctx.writer.put(change.address, resource);
  }
}

/** Attributes a plan attests from a runbook the person already followed (an import or update). */
function runbookAttest(change: PlannedChange): Attest | undefined {
  return change.attestFromRunbook ? { keys: change.attestFromRunbook, via: 'runbook' } : undefined;
}
