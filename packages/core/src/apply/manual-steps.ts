import type { KindSession } from '../kind-operations.js';
import { apiMethod, kindCapabilities } from '../kind-operations.js';
import type { PlannedChange } from '../plan/types.js';
import type { KindDefinition, OperateRequest, RemoteObject } from '../provider.js';
import { type ManualOperator, PendingStepError, verifyAttributes } from './manual.js';
import { idempotencyKey } from './operation-journal.js';
import type { OperationContext, OperationRunner } from './operation-runner.js';

/** How often a step whose verification failed is offered again to an operator that can retry. */
const MAX_ATTEMPTS = 5;

/**
 * The manual steps of an apply: what the API can do first, then the step handed to the operator
 * (a person, the sandbox operator, `--confirm`), then the system read back to verify it before
 * state records it. A step not done (yet) throws `PendingStepError`.
 */
export class ManualSteps {
  readonly #ctx: OperationContext;
  readonly #runner: OperationRunner;
  readonly #operator: ManualOperator | undefined;
  /** 1-based position of each manual change among the plan's manual steps, by change index. */
  readonly #numbers = new Map<number, number>();

  constructor(ctx: OperationContext, runner: OperationRunner, operator: ManualOperator | undefined) {
    this.#ctx = ctx;
    this.#runner = runner;
    this.#operator = operator;
    for (const c of ctx.plan.changes)
      if (c.execution === 'manual') this.#numbers.set(c.index, this.#numbers.size + 1);
  }

  /** Remember a manual step handed out, so a later run can tell it was done. */
  markPending(change: PlannedChange): Promise<void> {
    const m = change.manual;
    if (!m) return Promise.resolve();
    const now = this.#ctx.now;
    return this.#ctx.writer.commit((doc) => {
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
  }

  /** Carry out a manual change: its API part, the step, verification, state. */
  async perform(change: PlannedChange): Promise<void> {
    const ctx = this.#ctx;
    const def = ctx.kindDef(change);
    const conn = ctx.connection(change);
    const m = change.manual!;
    // What the API can do is done first, so the person only does what the UI alone can.
    if (m.operation === 'update' && m.apiAttributes.length > 0 && change.id !== undefined) {
      const id = ctx.objects.live(change.address)?.id ?? change.id;
      const { object } = await apiMethod(
        conn,
        'update',
        change.kind,
      )({
        kind: change.kind,
        address: change.address,
        id,
        prior: ctx.objects.priorOf(change, id),
        changes: ctx.values.wire(change, change.after ?? {}, m.apiAttributes),
        idempotencyKey: idempotencyKey(ctx.plan, change, 'update-api-part'),
      });
      ctx.objects.setLive(change.address, object);
    }
    const oldId = change.action === 'replace' ? change.id : undefined;
    const operate = this.#operateRequest(change, def);
    let problems: string[] | undefined;
    for (let attempt = 0; ; attempt++) {
      const outcome = this.#operator
        ? await this.#operator.perform({
            change,
            step: m.runbook,
            number: this.#numbers.get(change.index) ?? 0,
            ...(problems ? { problems } : {}),
            secretTargets: change.credentials ?? {},
            connection: conn,
            operate,
          })
        : ({ status: 'pending', reason: 'manual step: a person does it in the system' } as const);
      if (outcome.status === 'pending') {
        throw new PendingStepError(problems ? `${outcome.reason}: ${problems.join('; ')}` : outcome.reason);
      }
      await this.#runner.storeShownOnce(change, outcome.secrets);
      const object = await this.#readBack(change, def, conn, outcome.object, oldId);
      problems = this.#problems(change, def, object);
      if (problems.length === 0) {
        await this.#settle(change, def, conn, object, oldId);
        return;
      }
      if (!this.#operator?.canRetry || attempt >= MAX_ATTEMPTS - 1)
        throw new PendingStepError(`verification failed: ${problems.join('; ')}`);
    }
  }

  /** The step as a request to a simulator's console, references resolved to ids. */
  #operateRequest(change: PlannedChange, def: KindDefinition): OperateRequest {
    const ctx = this.#ctx;
    const m = change.manual!;
    const after = change.after ?? {};
    const priorObject =
      change.id !== undefined && change.action !== 'replace'
        ? (ctx.objects.live(change.address) ?? ctx.objects.byId(change.provider, change.kind, change.id))
        : undefined;
    return {
      kind: change.kind,
      operation: m.operation,
      address: change.address,
      name: change.name,
      naturalKey: change.naturalKey,
      attributes: ctx.values.wire(
        change,
        after,
        Object.keys(after).filter((k) => !def.attributes[k]?.sensitive && !def.attributes[k]?.writeOnly),
      ),
      ...(m.operation === 'update'
        ? {
            changes: ctx.values.wire(
              change,
              after,
              m.attributes.filter((k) => k in after),
            ),
          }
        : {}),
      ...(priorObject ? { id: priorObject.id, prior: priorObject } : {}),
    };
  }

  /** What reading the system back finds wrong with the step (empty: it was done as planned). */
  #problems(change: PlannedChange, def: KindDefinition, object: RemoteObject | undefined): string[] {
    const m = change.manual!;
    const after = change.after ?? {};
    if (m.operation === 'rotate')
      return object ? [] : [`no ${change.kind} ${change.naturalKey} found in the system`];
    if (m.operation === 'delete')
      return object && object.id === change.id ? [`${change.naturalKey} still exists in the system`] : [];
    if (m.operation === 'deactivate') {
      if (!object) return [`${change.naturalKey} is not in the system any more`];
      return object.deactivated || kindCapabilities(def).read === 'none'
        ? []
        : [`${change.naturalKey} is still active in the system`];
    }
    if (!object) return [`no ${change.kind} ${change.naturalKey} found in the system`];
    return verifyAttributes(def, after, object, m.operation === 'create' ? Object.keys(after) : m.attributes);
  }

  /** Record a verified step in the journal and state; a replacement then removes the old object. */
  async #settle(
    change: PlannedChange,
    def: KindDefinition,
    conn: KindSession,
    object: RemoteObject | undefined,
    oldId: string | undefined,
  ): Promise<void> {
    const ctx = this.#ctx;
    const m = change.manual!;
    const after = change.after ?? {};
    if (m.operation === 'delete' || m.operation === 'deactivate') {
      await ctx.journal.outcome(change, 'done', change.id);
      await ctx.writer.commit((doc) => {
        delete doc.resources[change.address];
        if (doc.pending) delete doc.pending[change.address];
      });
      return;
    }
    const unverifiable = Object.keys(after).filter((k) => def.attributes[k]?.verifiable === false);
    const attested =
      m.operation === 'create' ? unverifiable : m.attributes.filter((k) => unverifiable.includes(k));
    const prior = ctx.writer.state.resources[change.address];
    if (m.operation === 'rotate') {
      await this.#runner.record(change, object!, prior ? { ...prior.attributes } : after, undefined);
    } else if (m.operation === 'reconfirm') {
      const base = prior ? { ...prior.attributes } : {};
      for (const k of m.attributes) base[k] = after[k];
      await this.#runner.record(change, object!, base, { keys: m.attributes, via: 'operator' });
    } else {
      await this.#runner.record(change, object!, after, { keys: attested, via: 'operator' });
    }
    if (oldId !== undefined && object && oldId !== object.id) {
      const old = ctx.objects.byId(change.provider, change.kind, oldId);
      if (old) await this.#runner.removeObject(change, def, conn, old);
    }
  }

  /** Find the object a manual step made or changed, reading the system. */
  async #readBack(
    change: PlannedChange,
    def: KindDefinition,
    conn: KindSession,
    hint: RemoteObject | undefined,
    exceptId?: string,
  ): Promise<RemoteObject | undefined> {
    if (kindCapabilities(def).read === 'none') {
      return hint ?? { id: change.id ?? change.naturalKey, naturalKey: change.naturalKey, attributes: {} };
    }
    const id =
      hint?.id ?? (change.action === 'create' || change.action === 'replace' ? undefined : change.id);
    if (id !== undefined && id !== exceptId) {
      const { object } = await apiMethod(conn, 'read', change.kind)({ kind: change.kind, id });
      if (object) return object;
    }
    const { objects } = await apiMethod(conn, 'list', change.kind)({ kind: change.kind });
    return objects.find((o) => o.naturalKey === change.naturalKey && o.id !== exceptId && !o.conflict);
  }
}
