import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../logger.js';
import { canonical, isRef, sameCanonical } from '../plan/canonical.js';
import { detectDrift } from '../plan/drift.js';
import { guardPrivileges, normalizeSpec } from '../plan/guard-privileges.js';
import type {
  Execution,
  KindDefinition,
  ManualOperation,
  OperateResult,
  Provider,
  ProviderConnection,
  RemoteObject,
} from '../provider.js';
import { isSecret } from '../secret.js';
import type { StateDocument } from '../state/types.js';

/** Shares (0–1) of requests a sandbox answers with a 5xx, a 429 or a dropped connection. */
export interface ContractFaults {
  errorRate: number;
  throttleRate: number;
  dropRate: number;
}

/** One running sandbox of the provider under test, started fresh for each group of checks. */
export interface ContractSandbox {
  /**
   * Open a connection to this sandbox, signed in with the fixture's credentials (those in
   * `ContractFixture.secrets`); with `readCredentials`, as the read-only account.
   */
  connect(req: { log: Logger; readCredentials?: boolean }): Promise<ProviderConnection>;
  /**
   * The sandbox's fault injection. Absent when the sandbox has nothing to fault (no HTTP between
   * roster and it); the fault checks are then skipped.
   */
  /** Secrets this sandbox made up when it started (e.g. its console's token); none may show either. */
  secrets?: readonly string[];
  faults?: {
    /** Switch faults for what follows (all zero: off). */
    set(faults: ContractFaults): void;
    /** The faults injected so far, by kind (the shape of `@roster/sim-kit`'s `InjectedFaults`). */
    injected(): { errors: number; throttles: number; dropsBefore: number; dropsAfter: number };
  };
  close(): Promise<void>;
}

/** What a sample hook may use: the open connection and the fixture's own sandbox. */
export interface SampleContext<S extends ContractSandbox> {
  conn: ProviderConnection;
  sandbox: S;
}

type Attributes = Record<string, unknown>;
type AttributesOf<S extends ContractSandbox> = Attributes | ((ctx: SampleContext<S>) => Promise<Attributes>);

/** Sample specs of one kind, which the suite takes through its whole life. */
export interface KindSample<S extends ContractSandbox> {
  /**
   * A valid desired spec (without `local` attributes such as `credentials`), references resolved as
   * `{ ref, id }`. A function may first make what the sample refers to (e.g. a role).
   */
  create: AttributesOf<S>;
  /** The attributes an update changes, with their new values. */
  update: AttributesOf<S>;
  /**
   * A change made behind roster's back, through the sandbox's console or raw API as a person or
   * another tool would: `attribute` is what the next read (or reconfirmation) must report as drift.
   */
  drift: { attribute: string; change(ctx: SampleContext<S>, object: RemoteObject): Promise<void> };
}

/** A provider, a way to start its sandbox, and a sample for every kind it declares. */
export interface ContractFixture<S extends ContractSandbox = ContractSandbox> {
  provider: Provider;
  /** Start a fresh sandbox; `faults` in the suite's fault checks only. */
  sandbox(): Promise<S>;
  kinds: Record<string, KindSample<S>>;
  /** The credential values the sandbox signs in with: none may show in objects, errors or logs. */
  secrets: readonly string[];
  /**
   * Set when the sandbox knows a read-only account (`credentials.read`): a write through
   * `connect({ readCredentials: true })` must be refused. Omitted only where the system has no
   * such account; the fixture says why, with its source.
   */
  readOnlyCredentials?: boolean;
}

/** A deterministic random source (mulberry32), so that a fault run is the same every time. */
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NO_FAULTS: ContractFaults = { errorRate: 0, throttleRate: 0, dropRate: 0 };
const PROVIDER = 'contract';

/** What the suite saw: every log line, object and error, scanned for secrets at the end. */
class Seen {
  readonly lines: string[] = [];
  readonly texts: string[] = [];
  readonly secrets: string[];
  constructor(secrets: readonly string[]) {
    this.secrets = secrets.filter((s) => s.length > 0);
  }
  readonly log: Logger = {
    info: (m) => void this.lines.push(m),
    warn: (m) => void this.lines.push(m),
    debug: (m) => void this.lines.push(m),
  };
  object<T>(value: T): T {
    this.texts.push(JSON.stringify(value) ?? '');
    return value;
  }
  /** An operator step's result: the secrets it hands over join the ones that must never show. */
  operated(result: OperateResult): OperateResult {
    for (const s of Object.values(result.secrets ?? {})) {
      expect(isSecret(s)).toBe(true);
      if (s.present) this.secrets.push(s.reveal());
    }
    return this.object(result);
  }
  /** An error a provider gave: one clean line, no stack, no secret. */
  error(err: unknown): Error {
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    this.texts.push(message);
    expect(message.trim().length).toBeGreaterThan(0);
    expect(message).not.toMatch(/\n\s+at .+[:(]\d+/);
    expect(message).not.toContain('\n');
    for (const s of this.secrets) expect(message).not.toContain(s);
    return err as Error;
  }
  leaks(): string[] {
    const all = [...this.lines, ...this.texts];
    return this.secrets.filter((s) => all.some((t) => t.includes(s))).map((s) => `${s.slice(0, 2)}…`);
  }
}

/** How an update of `attribute` is made: its own rule, else the kind's update capability. */
function executionOf(def: KindDefinition, attribute: string): Execution {
  return def.attributes[attribute]?.update ?? def.capabilities.update;
}

/** The declared attributes as a plan compares them: normalized, absent privileges filled in, readable only. */
export function comparableAttributes(def: KindDefinition, attributes: Attributes): Attributes {
  const spec = guardPrivileges(normalizeSpec(attributes, def), def);
  const out: Attributes = {};
  for (const [key, value] of Object.entries(spec)) {
    const rule = def.attributes[key];
    if (rule?.local || rule?.sensitive || rule?.writeOnly || rule?.verifiable === false) continue;
    out[key] = canonical(value, rule);
  }
  return out;
}

/** Attributes that differ between what was declared and what the system reports. */
function mismatches(def: KindDefinition, desired: Attributes, object: RemoteObject): string[] {
  const expected = comparableAttributes(def, desired);
  return Object.entries(expected)
    .filter(([k, v]) => !sameCanonical(v, object.attributes[k], def.attributes[k]))
    .map(([k, v]) => `${k}: declared ${JSON.stringify(v)}, read ${JSON.stringify(object.attributes[k])}`);
}

/** References reduced to the natural key, as a resolved request carries them and state records them. */
function withoutIds(attributes: Attributes): Attributes {
  const strip = (v: unknown): unknown => (isRef(v) ? { ref: v.ref } : Array.isArray(v) ? v.map(strip) : v);
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, strip(v)]));
}

/** What `roster drift` reports for one object recorded with `recorded`. */
function driftOf(kind: string, def: KindDefinition, recorded: Attributes, object: RemoteObject) {
  const state: StateDocument = {
    version: 1,
    lineage: 'contract',
    serial: 1,
    resources: {
      [`${PROVIDER}/${kind}/sample`]: {
        provider: PROVIDER,
        kind,
        name: 'sample',
        id: object.id,
        naturalKey: object.naturalKey,
        attributes: comparableAttributes(def, recorded),
        dependencies: [],
      },
    },
  };
  return detectDrift({
    state,
    remote: new Map([[PROVIDER, new Map([[kind, [object]]])]]),
    kindOf: () => def,
  });
}

const resolved = new WeakMap<object, Map<unknown, Promise<Attributes>>>();

/** A sample's attributes; a hook runs once per sandbox (it may make what the sample refers to). */
async function resolve<S extends ContractSandbox>(a: AttributesOf<S>, ctx: SampleContext<S>) {
  if (typeof a !== 'function') return structuredClone(a);
  let bySample = resolved.get(ctx.sandbox);
  if (!bySample) {
    bySample = new Map();
    resolved.set(ctx.sandbox, bySample);
  }
  if (!bySample.has(a)) bySample.set(a, a(ctx));
  return structuredClone(await bySample.get(a)!);
}

/** The manual operations a kind declares, with the request a runbook step gets for each. */
function manualOperations(def: KindDefinition): ManualOperation[] {
  const ops = new Set<ManualOperation>();
  if (def.capabilities.create === 'manual') ops.add('create');
  if (def.capabilities.update === 'manual') ops.add('update');
  if (def.capabilities.delete === 'manual') ops.add('delete');
  if (Object.values(def.attributes).some((r) => r.update === 'manual')) ops.add('update');
  if (def.deactivation && executionOf(def, def.deactivation.attribute) === 'manual') ops.add('deactivate');
  if (def.rotate === 'manual') ops.add('rotate');
  return [...ops];
}

/**
 * Run the provider contract as vitest tests, one row per check: for every kind, per its declared
 * capabilities and removal mode, create → read back → no change planned → update → read back →
 * drift made behind roster's back is seen → removal → gone or deactivated; manual operations give
 * a runbook step and are never attempted by API; faults are retried or reported in one clean line;
 * read-only credentials cannot write; no secret shows in objects, errors or logs.
 */
export function providerContract<S extends ContractSandbox>(fixture: ContractFixture<S>): void {
  const { provider } = fixture;
  const seen = new Seen(fixture.secrets);

  describe(`provider contract: ${provider.type}`, () => {
    it('has a sample for every kind it declares', () => {
      expect(Object.keys(fixture.kinds).sort()).toEqual(Object.keys(provider.kinds).sort());
    });

    for (const [kind, def] of Object.entries(provider.kinds)) {
      const sample = fixture.kinds[kind];
      if (sample) kindContract(fixture, kind, def, sample, seen);
    }

    faultContract(fixture, seen);
    readOnlyContract(fixture, seen);

    it('never shows a secret in returned objects, errors or logs', () => {
      expect(seen.secrets.length).toBeGreaterThan(0);
      expect(seen.texts.length + seen.lines.length).toBeGreaterThan(0);
      expect(seen.leaks()).toEqual([]);
    });
  });
}

/** The life of one sample object, one row per step; a step after a failed one says so. */
function kindContract<S extends ContractSandbox>(
  fixture: ContractFixture<S>,
  kind: string,
  def: KindDefinition,
  sample: KindSample<S>,
  seen: Seen,
): void {
  const address = `${PROVIDER}/${kind}/sample`;
  const base = { kind, address, name: 'sample' };
  let sandbox: S;
  let conn: ProviderConnection;
  let desired: Attributes = {};
  let object: RemoteObject | undefined;
  let step = 0;
  const ctx = () => ({ conn, sandbox });
  const naturalKey = () => def.naturalKey(withoutIds(desired));
  const need = () => {
    if (!object) throw new Error(`${kind}: no object: an earlier step failed`);
    return object;
  };
  const operate = async (req: Omit<Parameters<NonNullable<ProviderConnection['operate']>>[0], 'kind'>) => {
    if (!conn.operate) throw new Error(`${kind}: a manual step needs the sandbox operator (operate)`);
    return seen.operated(await conn.operate({ kind, ...req }));
  };
  /** The object as the system shows it now, by its id (and in the listing, once). */
  const readBack = async (id: string): Promise<RemoteObject | undefined> => {
    const read = seen.object((await conn.read({ kind, id })).object);
    const listed = seen
      .object((await conn.list({ kind })).objects)
      .filter((o) => o.naturalKey === naturalKey());
    if (read && !read.deactivated) expect(listed.filter((o) => !o.deactivated)).toHaveLength(1);
    return read;
  };
  const readable = def.capabilities.read === 'api';
  const reconfirm = (attributes: Attributes) =>
    operate({
      operation: 'reconfirm',
      name: 'sample',
      address,
      naturalKey: naturalKey(),
      id: need().id,
      attributes,
    });

  describe(`${kind} (create ${def.capabilities.create}, read ${def.capabilities.read}, update ${def.capabilities.update}, removal ${def.deleteMode})`, () => {
    beforeAll(async () => {
      sandbox = await fixture.sandbox();
      seen.secrets.push(...(sandbox.secrets ?? []));
      conn = await sandbox.connect({ log: seen.log });
    });
    afterAll(async () => {
      await conn?.close();
      await sandbox?.close();
    });

    it('gives a runbook step for every manual operation and attribute', async () => {
      const attributes = withoutIds(await resolve(sample.create, ctx()));
      const ops = manualOperations(def);
      if (ops.length > 0)
        expect(def.runbook, `${kind} has manual operations (${ops.join(', ')})`).toBeTypeOf('function');
      for (const operation of ops) {
        const changes = operation === 'update' ? withoutIds(await resolve(sample.update, ctx())) : undefined;
        const runbookStep = def.runbook!({
          operation,
          kind,
          address,
          name: 'sample',
          naturalKey: def.naturalKey(attributes),
          attributes,
          ...(changes ? { changes } : {}),
          ...(operation === 'create' ? {} : { prior: attributes }),
          ...(operation === 'reconfirm' ? { reconfirm: Object.keys(attributes) } : {}),
        });
        seen.object(runbookStep);
        expect(runbookStep.system.length, `${operation}: system`).toBeGreaterThan(0);
        expect(runbookStep.title.length, `${operation}: title`).toBeGreaterThan(0);
        expect(runbookStep.uiPath.length, `${operation}: uiPath`).toBeGreaterThan(0);
      }
    });

    it('never calls the API for what it declares manual or impossible', async () => {
      const calls = () => conn.stats().apiCalls;
      const fake: RemoteObject = { id: 'contract-none', naturalKey: 'contract-none', attributes: {} };
      const attempts: Record<string, () => Promise<unknown>> = {
        create: () => conn.create({ ...base, attributes: {}, idempotencyKey: 'contract-refused-create' }),
        read: () => conn.list({ kind }),
        update: () =>
          conn.update({
            ...base,
            id: fake.id,
            prior: fake,
            changes: {},
            idempotencyKey: 'contract-refused-update',
          }),
        delete: () => conn.delete({ ...base, id: fake.id, prior: fake }),
      };
      for (const [op, attempt] of Object.entries(attempts)) {
        const execution = def.capabilities[op as keyof typeof def.capabilities];
        if (execution === 'api') continue;
        // A connection that does not offer the operation at all cannot attempt it.
        if (typeof conn[op === 'read' ? 'list' : (op as 'create' | 'update' | 'delete')] !== 'function')
          continue;
        const before = calls();
        const outcome = await attempt().then(
          () => undefined,
          (err: unknown) => ({ err }),
        );
        // A write the system cannot take by API is refused in one clean line, never reported done;
        // a kind that cannot be read may list nothing (the engine keeps it from state).
        if (outcome) seen.error(outcome.err);
        else expect(op, `${op} of a ${kind} (${execution}) was reported done`).toBe('read');
        expect(calls(), `${op}: API calls`).toBe(before);
      }
    });

    it(`creates it (${def.capabilities.create})`, async () => {
      desired = await resolve(sample.create, ctx());
      for (const [k, rule] of Object.entries(def.attributes)) {
        // The engine creates with `createAs` and updates after: a sample must be a direct create.
        if (rule.createValues && k in desired) expect(rule.createValues).toContain(desired[k]);
      }
      if (def.capabilities.create === 'api') {
        const created = seen.object(
          (await conn.create({ ...base, attributes: desired, idempotencyKey: `contract-create-${++step}` }))
            .object,
        );
        object = created;
      } else if (def.capabilities.create === 'manual') {
        const done = await operate({
          operation: 'create',
          name: 'sample',
          address,
          naturalKey: naturalKey(),
          attributes: desired,
        });
        expect(done.object, 'the operator reports what it made').toBeDefined();
        object = done.object;
      } else {
        throw new Error(`${kind} cannot be created at all: nothing to take through its life`);
      }
      expect(need().naturalKey).toBe(naturalKey());
      expect(need().id.length).toBeGreaterThan(0);
    });

    it(
      readable
        ? 'reads back what was declared'
        : 'confirms what was declared (read: none, through the operator)',
      async () => {
        if (readable) {
          object = await readBack(need().id);
          expect(object, 'read by id').toBeDefined();
          expect(mismatches(def, desired, need())).toEqual([]);
          expect(need().deactivated).toBeFalsy();
        } else {
          await reconfirm(withoutIds(desired));
        }
      },
    );

    it.skipIf(!readable)('plans no change right after', () => {
      expect(driftOf(kind, def, withoutIds(desired), need())).toEqual([]);
    });

    it(`updates it (${def.capabilities.update}${Object.values(def.attributes).some((r) => r.update) ? ', per attribute' : ''})`, async () => {
      const changes = await resolve(sample.update, ctx());
      expect(Object.keys(changes).length).toBeGreaterThan(0);
      const byApi = Object.fromEntries(
        Object.entries(changes).filter(([k]) => executionOf(def, k) === 'api'),
      );
      const byHand = Object.fromEntries(
        Object.entries(changes).filter(([k]) => executionOf(def, k) === 'manual'),
      );
      expect(Object.keys(byApi).length + Object.keys(byHand).length, 'every change can be made').toBe(
        Object.keys(changes).length,
      );
      const prior = need();
      desired = { ...desired, ...changes };
      if (Object.keys(byApi).length > 0) {
        object = seen.object(
          (
            await conn.update({
              ...base,
              id: prior.id,
              prior,
              changes: byApi,
              idempotencyKey: `contract-update-${++step}`,
            })
          ).object,
        );
      }
      if (Object.keys(byHand).length > 0) {
        const done = await operate({
          operation: 'update',
          name: 'sample',
          address,
          naturalKey: naturalKey(),
          id: prior.id,
          prior: need(),
          attributes: desired,
          changes: byHand,
        });
        if (done.object) object = done.object;
      }
    });

    it(readable ? 'reads back the update' : 'confirms the update (through the operator)', async () => {
      if (readable) {
        object = await readBack(need().id);
        expect(mismatches(def, desired, need())).toEqual([]);
        expect(driftOf(kind, def, withoutIds(desired), need())).toEqual([]);
      } else {
        await reconfirm(withoutIds(desired));
      }
    });

    it(`sees ${sample.drift.attribute} changed behind roster's back as drift`, async () => {
      await sample.drift.change(ctx(), need());
      if (readable) {
        const now = await readBack(need().id);
        expect(now).toBeDefined();
        const drift = driftOf(kind, def, withoutIds(desired), now!);
        expect(drift.flatMap((d) => d.attributes.map((a) => a.path))).toContain(`/${sample.drift.attribute}`);
      } else {
        const refused = await reconfirm(withoutIds(desired)).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(refused, 'the operator refuses to confirm what it sees changed').toBeDefined();
        seen.error(refused);
      }
    });

    const deactivation = def.deactivation;
    const removal: Execution =
      def.deleteMode === 'deactivate' && deactivation
        ? executionOf(def, deactivation.attribute)
        : def.capabilities.delete;
    it(`${def.deleteMode === 'deactivate' ? 'deactivates' : 'deletes'} it when removed (${removal})`, async () => {
      const prior = need();
      if (def.deleteMode === 'deactivate') {
        expect(deactivation, `${kind} is removed by deactivation, so it declares how`).toBeDefined();
        if (removal === 'api') {
          object = seen.object(
            (
              await conn.update({
                ...base,
                id: prior.id,
                prior,
                changes: { [deactivation!.attribute]: deactivation!.value },
                idempotencyKey: `contract-deactivate-${++step}`,
              })
            ).object,
          );
        } else {
          const done = await operate({
            operation: 'deactivate',
            name: 'sample',
            address,
            naturalKey: naturalKey(),
            id: prior.id,
            prior,
            attributes: desired,
          });
          if (done.object) object = done.object;
        }
      } else if (removal === 'api') {
        seen.object(await conn.delete({ ...base, id: prior.id, prior }));
      } else {
        await operate({
          operation: 'delete',
          name: 'sample',
          address,
          naturalKey: naturalKey(),
          id: prior.id,
          prior,
          attributes: desired,
        });
      }
    });

    it(def.deleteMode === 'deactivate' ? 'reads it as deactivated' : 'reads it as gone', async () => {
      if (!readable) {
        // Nothing to read: the operator confirms it deactivated, or finds nothing to confirm.
        if (def.deleteMode === 'deactivate') {
          const { attribute, value, activeValue } = deactivation!;
          await reconfirm({ [attribute]: value });
          const refused = await reconfirm({ [attribute]: activeValue }).then(
            () => undefined,
            (err: unknown) => err,
          );
          expect(refused, 'the operator refuses to confirm it active').toBeDefined();
          seen.error(refused);
          return;
        }
        const refused = await reconfirm(withoutIds(desired)).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(refused, 'the operator finds nothing to confirm').toBeDefined();
        seen.error(refused);
        return;
      }
      const now = await readBack(need().id);
      if (def.deleteMode === 'deactivate') {
        expect(now?.deactivated).toBe(true);
        expect(now?.attributes[deactivation!.attribute]).toEqual(deactivation!.value);
      } else {
        expect(now).toBeUndefined();
        const listed = (await conn.list({ kind })).objects.filter((o) => o.naturalKey === naturalKey());
        expect(listed).toEqual([]);
      }
    });
  });
}

/** Under 5xx, 429 and dropped connections the sample still ends as declared, once; past retrying, one clean line. */
function faultContract<S extends ContractSandbox>(fixture: ContractFixture<S>, seen: Seen): void {
  const entry = Object.entries(fixture.provider.kinds).find(
    ([kind, def]) =>
      fixture.kinds[kind] && (def.capabilities.create !== 'none' || def.capabilities.update === 'api'),
  );
  describe('faults', () => {
    let sandbox: S;
    let conn: ProviderConnection;
    beforeAll(async () => {
      sandbox = await fixture.sandbox();
      seen.secrets.push(...(sandbox.secrets ?? []));
      conn = await sandbox.connect({ log: seen.log });
    });
    afterAll(async () => {
      await conn?.close();
      await sandbox?.close();
    });
    const faulty = (): boolean => sandbox.faults !== undefined;

    it('ends in the declared state, without duplicates, through 5xx, 429 and dropped connections', async (t) => {
      if (!faulty() || !entry) return t.skip('the sandbox has nothing to fault');
      const [kind, def] = entry;
      const sample = fixture.kinds[kind]!;
      const ctx = { conn, sandbox };
      const address = `${PROVIDER}/${kind}/faulty`;
      let desired = await resolve(sample.create, ctx);
      const naturalKey = def.naturalKey(withoutIds(desired));
      sandbox.faults!.set({ errorRate: 0.2, throttleRate: 0.2, dropRate: 0.15 });
      const before = sandbox.faults!.injected();
      const throttledBefore = conn.stats().throttled;
      let object: RemoteObject | undefined;
      if (def.capabilities.create === 'api') {
        object = (
          await conn.create({ kind, address, attributes: desired, idempotencyKey: 'contract-faulty-create' })
        ).object;
      } else {
        object = seen.operated(
          await conn.operate!({
            kind,
            operation: 'create',
            address,
            name: 'faulty',
            naturalKey,
            attributes: desired,
          }),
        ).object;
      }
      const changes = await resolve(sample.update, ctx);
      const byApi = Object.fromEntries(
        Object.entries(changes).filter(([k]) => executionOf(def, k) === 'api'),
      );
      if (object && Object.keys(byApi).length > 0) {
        object = (
          await conn.update({
            kind,
            address,
            id: object.id,
            prior: object,
            changes: byApi,
            idempotencyKey: 'contract-faulty-update',
          })
        ).object;
        desired = { ...desired, ...byApi };
      }
      const byHand = Object.fromEntries(
        Object.entries(changes).filter(([k]) => executionOf(def, k) === 'manual'),
      );
      if (object && Object.keys(byHand).length > 0 && conn.operate) {
        desired = { ...desired, ...byHand };
        const done = seen.operated(
          await conn.operate({
            kind,
            operation: 'update',
            address,
            name: 'faulty',
            naturalKey,
            id: object.id,
            prior: object,
            attributes: desired,
            changes: byHand,
          }),
        );
        object = done.object ?? object;
      }
      // Reads go through the same faults (a plan's refresh), as many as it takes to meet each kind.
      for (let i = 0; i < 5 && def.capabilities.read === 'api'; i++) seen.object(await conn.list({ kind }));
      sandbox.faults!.set(NO_FAULTS);
      const after = sandbox.faults!.injected();
      expect(
        {
          errors: after.errors > before.errors,
          throttles: after.throttles > before.throttles,
          drops: after.dropsBefore + after.dropsAfter > before.dropsBefore + before.dropsAfter,
        },
        'a 5xx, a 429 and a dropped connection were each met on the way',
      ).toEqual({ errors: true, throttles: true, drops: true });
      // Every call went to the API: the 429s it met are counted in the plan's stats.
      if (def.capabilities.create === 'api' && after.throttles > before.throttles)
        expect(conn.stats().throttled - throttledBefore, 'throttled in stats').toBeGreaterThan(0);
      seen.object(object);
      if (def.capabilities.read !== 'api') return;
      const listed = (await conn.list({ kind })).objects.filter((o) => o.naturalKey === naturalKey);
      seen.object(listed);
      expect(
        listed.filter((o) => !o.deactivated),
        'exactly one object, no duplicate',
      ).toHaveLength(1);
      expect(mismatches(def, desired, listed.find((o) => !o.deactivated)!)).toEqual([]);
    });

    it('reports a system that keeps failing in one clean line, without a stack or a secret', async (t) => {
      if (!faulty() || !entry) return t.skip('the sandbox has nothing to fault');
      const [kind, def] = entry;
      const sample = fixture.kinds[kind]!;
      const desired = await resolve(sample.create, { conn, sandbox });
      sandbox.faults!.set({ errorRate: 1, throttleRate: 0, dropRate: 0 });
      try {
        // What goes over the faulted channel: an API write, else the operator's console, else a read.
        const attempt =
          def.capabilities.create === 'api'
            ? conn.create({
                kind,
                address: `${PROVIDER}/${kind}/failing`,
                attributes: desired,
                idempotencyKey: 'f',
              })
            : def.capabilities.create === 'manual' && conn.operate
              ? conn.operate({
                  kind,
                  operation: 'create',
                  address: `${PROVIDER}/${kind}/failing`,
                  name: 'failing',
                  naturalKey: def.naturalKey(withoutIds(desired)),
                  attributes: desired,
                })
              : conn.list({ kind });
        const err = await attempt.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, 'a system that only fails is reported, not retried forever').toBeDefined();
        seen.error(err);
      } finally {
        sandbox.faults!.set(NO_FAULTS);
      }
    });
  });
}

/** Signed in with `credentials.read`, a connection reads and is refused every write. */
function readOnlyContract<S extends ContractSandbox>(fixture: ContractFixture<S>, seen: Seen): void {
  const entry = Object.entries(fixture.provider.kinds).find(
    ([kind, def]) =>
      fixture.kinds[kind] && def.capabilities.create === 'api' && def.capabilities.read === 'api',
  );
  it.skipIf(!fixture.readOnlyCredentials || !entry)(
    'refuses writes with read-only credentials, in one clear line',
    async () => {
      const [kind, def] = entry!;
      const sandbox = await fixture.sandbox();
      seen.secrets.push(...(sandbox.secrets ?? []));
      const conn = await sandbox.connect({ log: seen.log, readCredentials: true });
      try {
        seen.object((await conn.list({ kind })).objects);
        const desired = await resolve(fixture.kinds[kind]!.create, { conn, sandbox });
        const before = (await conn.list({ kind })).objects.length;
        const err = await conn
          .create({
            kind,
            address: `${PROVIDER}/${kind}/read-only`,
            attributes: desired,
            idempotencyKey: 'ro',
          })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(err, 'a write with read-only credentials is refused').toBeDefined();
        expect(seen.error(err).message, 'says why').toMatch(
          /read-only|not allowed|not authori[sz]ed|permission|forbidden|403/i,
        );
        expect((await conn.list({ kind })).objects).toHaveLength(before);
        expect(def.naturalKey(withoutIds(desired)).length).toBeGreaterThan(0);
      } finally {
        await conn.close();
        await sandbox.close();
      }
    },
  );
}
