import { expect } from 'vitest';
import type { KindSession } from '../kind-operations.js';
import { apiMethod, kindCapabilities, kindSession, runbookStep } from '../kind-operations.js';
import type { KindDefinition, OperateRequest, OperateResult, RemoteObject } from '../provider.js';
import {
  CONTRACT_PROVIDER,
  changesBy,
  driftOf,
  executionOf,
  manualOperations,
  mismatches,
  withoutIds,
} from './compare.js';
import type { ContractFixture, ContractSandbox, KindSample } from './contract-types.js';
import { sampleAttributes } from './samples.js';
import { rejection, type Seen } from './seen.js';

type Attributes = Record<string, unknown>;

/**
 * One sample object taken through its life in a fresh sandbox, each step a method the suite runs as
 * its own test. Steps share the object: a step after a failed one says so.
 */
export class KindLife<S extends ContractSandbox> {
  readonly address: string;
  readonly readable: boolean;
  #sandbox: S | undefined;
  #conn: KindSession | undefined;
  #desired: Attributes = {};
  #object: RemoteObject | undefined;
  #step = 0;

  constructor(
    readonly fixture: ContractFixture<S>,
    readonly kind: string,
    readonly def: KindDefinition,
    readonly sample: KindSample<S>,
    readonly seen: Seen,
  ) {
    this.address = `${CONTRACT_PROVIDER}/${kind}/sample`;
    this.readable = kindCapabilities(def).read === 'api';
  }

  async start(): Promise<void> {
    this.#sandbox = await this.fixture.sandbox();
    this.seen.secrets.push(...(this.#sandbox.secrets ?? []));
    this.#conn = kindSession(
      this.fixture.provider.kinds,
      await this.#sandbox.connect({ log: this.seen.log }),
      this.#sandbox.sandboxConsole,
    );
  }

  async stop(): Promise<void> {
    await this.#conn?.close();
    await this.#sandbox?.close();
  }

  get conn(): KindSession {
    if (!this.#conn) throw new Error(`${this.kind}: the sandbox did not start`);
    return this.#conn;
  }

  get #ctx() {
    return { conn: this.conn, sandbox: this.#sandbox! };
  }

  get #base() {
    return { kind: this.kind, address: this.address, name: 'sample' };
  }

  get #naturalKey(): string {
    return this.def.naturalKey(withoutIds(this.#desired));
  }

  get #current(): RemoteObject {
    if (!this.#object) throw new Error(`${this.kind}: no object: an earlier step failed`);
    return this.#object;
  }

  async #operate(
    req: Omit<OperateRequest, 'kind' | 'name' | 'address' | 'naturalKey'>,
  ): Promise<OperateResult> {
    if (!this.conn.operate)
      throw new Error(`${this.kind}: a manual step needs the sandbox operator (operate)`);
    return this.seen.operated(
      await this.conn.operate({ ...this.#base, naturalKey: this.#naturalKey, ...req }),
    );
  }

  #reconfirm(attributes: Attributes): Promise<OperateResult> {
    return this.#operate({ operation: 'reconfirm', id: this.#current.id, attributes });
  }

  /** The object as the system shows it now, by its id; listed once, unless deactivated or gone. */
  async #readBack(): Promise<RemoteObject | undefined> {
    const read = this.seen.object(
      (await apiMethod(this.conn, 'read', this.kind)({ kind: this.kind, id: this.#current.id })).object,
    );
    const listed = this.seen
      .object((await apiMethod(this.conn, 'list', this.kind)({ kind: this.kind })).objects)
      .filter((o) => o.naturalKey === this.#naturalKey && !o.deactivated);
    if (read && !read.deactivated) expect(listed, 'listed once by its natural key').toHaveLength(1);
    return read;
  }

  /** Every manual operation and attribute has a runbook step with a system, a title and a UI path. */
  async runbooks(): Promise<void> {
    const attributes = withoutIds(await sampleAttributes(this.sample.create, this.#ctx));
    const ops = manualOperations(this.def);
    for (const operation of ops) {
      const changes =
        operation === 'update'
          ? withoutIds(await sampleAttributes(this.sample.update, this.#ctx))
          : undefined;
      const made = runbookStep(this.def, {
        ...this.#base,
        operation,
        naturalKey: this.def.naturalKey(attributes),
        attributes,
        ...(changes ? { changes } : {}),
        ...(operation === 'create' ? {} : { prior: attributes }),
      });
      expect(made, `a runbook step for ${operation}`).toBeDefined();
      const step = this.seen.object(made!);
      expect(step.system.length, `${operation}: system`).toBeGreaterThan(0);
      expect(step.title.length, `${operation}: title`).toBeGreaterThan(0);
      expect(step.uiPath.length, `${operation}: uiPath`).toBeGreaterThan(0);
    }
  }

  /** What the kind declares manual or impossible is refused (writes) without an API call. */
  async refusals(): Promise<void> {
    const fake: RemoteObject = { id: 'contract-none', naturalKey: 'contract-none', attributes: {} };
    const c = this.conn;
    const attempts = {
      create: () =>
        apiMethod(
          c,
          'create',
          this.kind,
        )({ ...this.#base, attributes: {}, idempotencyKey: 'contract-refused-create' }),
      read: () => apiMethod(c, 'list', this.kind)({ kind: this.kind }),
      update: () =>
        apiMethod(
          c,
          'update',
          this.kind,
        )({
          ...this.#base,
          id: fake.id,
          prior: fake,
          changes: {},
          idempotencyKey: 'contract-refused-update',
        }),
      delete: () => apiMethod(c, 'delete', this.kind)({ ...this.#base, id: fake.id, prior: fake }),
    };
    for (const op of ['create', 'read', 'update', 'delete'] as const) {
      const execution = kindCapabilities(this.def)[op];
      // A connection that does not offer the operation at all cannot attempt it.
      if (execution === 'api' || typeof c[op === 'read' ? 'list' : op] !== 'function') continue;
      const before = c.stats().apiCalls;
      const err = await rejection(attempts[op]());
      // A write the system cannot take by API is refused in one clean line, never reported done;
      // a kind that cannot be read may list nothing (the engine keeps it from state).
      if (err) this.seen.error(err);
      else expect(op, `${op} of a ${this.kind} (${execution}) was reported done`).toBe('read');
      expect(c.stats().apiCalls, `${op}: API calls`).toBe(before);
    }
  }

  /** Create by API, or by the sandbox operator for a manual kind. */
  async create(): Promise<void> {
    this.#desired = await sampleAttributes(this.sample.create, this.#ctx);
    for (const [k, rule] of Object.entries(this.def.attributes)) {
      // The engine creates with `createAs` and updates after: a sample must be a direct create.
      if (rule.createValues && k in this.#desired) expect(rule.createValues).toContain(this.#desired[k]);
    }
    const how = kindCapabilities(this.def).create;
    if (how === 'none')
      throw new Error(`${this.kind} cannot be created at all: nothing to take through its life`);
    this.#object =
      how === 'api'
        ? this.seen.object(
            (
              await apiMethod(
                this.conn,
                'create',
                this.kind,
              )({
                ...this.#base,
                attributes: this.#desired,
                idempotencyKey: `contract-create-${++this.#step}`,
              })
            ).object,
          )
        : (await this.#operate({ operation: 'create', attributes: this.#desired })).object;
    expect(this.#current.naturalKey).toBe(this.#naturalKey);
    expect(this.#current.id.length).toBeGreaterThan(0);
  }

  /** Read back (or, unreadable, confirmed by the operator) as declared, and no change planned. */
  async verify(): Promise<void> {
    if (!this.readable) {
      await this.#reconfirm(withoutIds(this.#desired));
      return;
    }
    this.#object = await this.#readBack();
    expect(this.#object, 'read by id').toBeDefined();
    expect(mismatches(this.def, this.#desired, this.#current)).toEqual([]);
    expect(this.#current.deactivated).toBeFalsy();
  }

  /** Core's drift detection finds nothing between what was declared and what is read. */
  noChange(): void {
    expect(driftOf(this.kind, this.def, this.#desired, this.#current)).toEqual([]);
  }

  /** Update: the API attributes by API, the manual ones by the operator. */
  async update(): Promise<void> {
    const changes = await sampleAttributes(this.sample.update, this.#ctx);
    expect(Object.keys(changes).length).toBeGreaterThan(0);
    const byApi = changesBy(this.def, changes, 'api');
    const byHand = changesBy(this.def, changes, 'manual');
    expect(Object.keys(byApi).length + Object.keys(byHand).length, 'every change can be made').toBe(
      Object.keys(changes).length,
    );
    const prior = this.#current;
    this.#desired = { ...this.#desired, ...changes };
    if (Object.keys(byApi).length > 0) {
      const idempotencyKey = `contract-update-${++this.#step}`;
      const req = { ...this.#base, id: prior.id, prior, changes: byApi, idempotencyKey };
      this.#object = this.seen.object((await apiMethod(this.conn, 'update', this.kind)(req)).object);
    }
    if (Object.keys(byHand).length > 0) {
      const done = await this.#operate({
        operation: 'update',
        id: prior.id,
        prior: this.#current,
        attributes: this.#desired,
        changes: byHand,
      });
      this.#object = done.object ?? this.#object;
    }
  }

  /** A change made behind roster's back is drift (unreadable: the operator refuses to confirm). */
  async drift(): Promise<void> {
    await this.sample.drift.change(this.#ctx, this.#current);
    if (!this.readable) {
      const refused = await rejection(this.#reconfirm(withoutIds(this.#desired)));
      expect(refused, 'the operator refuses to confirm what it sees changed').toBeDefined();
      this.seen.error(refused);
      return;
    }
    const now = await this.#readBack();
    expect(now).toBeDefined();
    const drift = driftOf(this.kind, this.def, this.#desired, now!);
    expect(drift.flatMap((d) => d.attributes.map((a) => a.path))).toContain(
      `/${this.sample.drift.attribute}`,
    );
  }

  /** How removal is carried out: per the kind's deleteMode. */
  get removal(): string {
    const d = this.def.deactivation;
    return this.def.deleteMode === 'deactivate' && d
      ? executionOf(this.def, d.attribute)
      : kindCapabilities(this.def).delete;
  }

  /** Remove per deleteMode: deactivate (the deactivation attribute) or delete; by API or by hand. */
  async remove(): Promise<void> {
    const prior = this.#current;
    const d = this.def.deactivation;
    if (this.def.deleteMode === 'deactivate') {
      expect(d, `${this.kind} is removed by deactivation, so it declares how`).toBeDefined();
      if (this.removal === 'api') {
        const changes = { [d!.attribute]: d!.value };
        const req = {
          ...this.#base,
          id: prior.id,
          prior,
          changes,
          idempotencyKey: `contract-remove-${++this.#step}`,
        };
        this.#object = this.seen.object((await apiMethod(this.conn, 'update', this.kind)(req)).object);
      } else {
        const done = await this.#operate({
          operation: 'deactivate',
          id: prior.id,
          prior,
          attributes: this.#desired,
        });
        this.#object = done.object ?? this.#object;
      }
    } else if (this.removal === 'api') {
      this.seen.object(
        await apiMethod(this.conn, 'delete', this.kind)({ ...this.#base, id: prior.id, prior }),
      );
    } else {
      await this.#operate({ operation: 'delete', id: prior.id, prior, attributes: this.#desired });
    }
  }

  /** Read as deactivated or gone (unreadable: what the operator confirms). */
  async removed(): Promise<void> {
    const d = this.def.deactivation;
    if (!this.readable) {
      if (this.def.deleteMode === 'deactivate') {
        await this.#reconfirm({ [d!.attribute]: d!.value });
        const refused = await rejection(this.#reconfirm({ [d!.attribute]: d!.activeValue }));
        expect(refused, 'the operator refuses to confirm it active').toBeDefined();
        this.seen.error(refused);
      } else {
        const refused = await rejection(this.#reconfirm(withoutIds(this.#desired)));
        expect(refused, 'the operator finds nothing to confirm').toBeDefined();
        this.seen.error(refused);
      }
      return;
    }
    const now = await this.#readBack();
    if (this.def.deleteMode === 'deactivate') {
      expect(now?.deactivated).toBe(true);
      expect(now?.attributes[d!.attribute]).toEqual(d!.value);
    } else {
      expect(now).toBeUndefined();
      const listed = (await apiMethod(this.conn, 'list', this.kind)({ kind: this.kind })).objects;
      expect(listed.filter((o) => o.naturalKey === this.#naturalKey)).toEqual([]);
    }
  }
}
