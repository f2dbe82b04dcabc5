import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KindSession } from '../kind-operations.js';
import { apiMethod, kindCapabilities, kindSession } from '../kind-operations.js';
import type { KindDefinition, RemoteObject } from '../provider.js';
import { CONTRACT_PROVIDER, changesBy, mismatches, withoutIds } from './compare.js';
import type {
  ContractFaults,
  ContractFixture,
  ContractInjectedFaults,
  ContractSandbox,
} from './contract-types.js';
import { sampleAttributes } from './samples.js';
import { rejection, type Seen } from './seen.js';

const NO_FAULTS: ContractFaults = { errorRate: 0, throttleRate: 0, dropRate: 0 };
const SOME_FAULTS: ContractFaults = { errorRate: 0.2, throttleRate: 0.2, dropRate: 0.15 };

/** Each kind of fault was met between two counts. */
function met(before: ContractInjectedFaults, after: ContractInjectedFaults) {
  return {
    errors: after.errors > before.errors,
    throttles: after.throttles > before.throttles,
    drops: after.dropsBefore + after.dropsAfter > before.dropsBefore + before.dropsAfter,
  };
}

/**
 * Under 5xx, 429 and dropped connections the sample still ends as declared, once; a system that
 * only fails is reported in one clean line. Runs on the first kind that can be written.
 */
export function faultContract<S extends ContractSandbox>(fixture: ContractFixture<S>, seen: Seen): void {
  const entry = Object.entries(fixture.provider.kinds).find(
    ([kind, def]) =>
      fixture.kinds[kind] &&
      (kindCapabilities(def).create !== 'none' || kindCapabilities(def).update === 'api'),
  );
  describe('faults', () => {
    let sandbox: S;
    let conn: KindSession;
    beforeAll(async () => {
      sandbox = await fixture.sandbox();
      seen.secrets.push(...(sandbox.secrets ?? []));
      conn = kindSession(
        fixture.provider.kinds,
        await sandbox.connect({ log: seen.log }),
        sandbox.sandboxConsole,
      );
    });
    afterAll(async () => {
      await conn?.close();
      await sandbox?.close();
    });

    it('ends in the declared state, without duplicates, through 5xx, 429 and dropped connections', async (t) => {
      if (!sandbox.faults || !entry) return t.skip('the sandbox has nothing to fault');
      const [kind, def] = entry;
      const faults = sandbox.faults;
      const before = faults.injected();
      const throttled = conn.stats().throttled;
      faults.set(SOME_FAULTS);
      const desired = await writeThroughFaults(conn, sandbox, fixture, kind, def, seen);
      // Reads go through the same faults (a plan's refresh).
      for (let i = 0; i < 5 && kindCapabilities(def).read === 'api'; i++)
        seen.object(await apiMethod(conn, 'list', kind)({ kind }));
      faults.set(NO_FAULTS);
      const after = faults.injected();
      expect(met(before, after), 'a 5xx, a 429 and a dropped connection were each met').toEqual({
        errors: true,
        throttles: true,
        drops: true,
      });
      // Every call went to the API: the 429s it met are counted in the plan's stats.
      if (kindCapabilities(def).create === 'api' && after.throttles > before.throttles)
        expect(conn.stats().throttled - throttled, 'throttled in stats').toBeGreaterThan(0);
      if (kindCapabilities(def).read !== 'api') return;
      const key = def.naturalKey(withoutIds(desired));
      const live = seen
        .object((await apiMethod(conn, 'list', kind)({ kind })).objects)
        .filter((o) => o.naturalKey === key && !o.deactivated);
      expect(live, 'exactly one object, no duplicate').toHaveLength(1);
      expect(mismatches(def, desired, live[0]!)).toEqual([]);
    });

    it('reports a system that keeps failing in one clean line, without a stack or a secret', async (t) => {
      if (!sandbox.faults || !entry) return t.skip('the sandbox has nothing to fault');
      const [kind, def] = entry;
      const desired = await sampleAttributes(fixture.kinds[kind]!.create, { conn, sandbox });
      const address = `${CONTRACT_PROVIDER}/${kind}/failing`;
      sandbox.faults.set({ ...NO_FAULTS, errorRate: 1 });
      try {
        // What goes over the faulted channel: an API write, else the operator's console, else a read.
        const attempt =
          kindCapabilities(def).create === 'api'
            ? apiMethod(
                conn,
                'create',
                kind,
              )({ kind, address, attributes: desired, idempotencyKey: 'contract-failing' })
            : kindCapabilities(def).create === 'manual' && conn.operate
              ? conn.operate({
                  kind,
                  operation: 'create',
                  address,
                  name: 'failing',
                  naturalKey: def.naturalKey(withoutIds(desired)),
                  attributes: desired,
                })
              : apiMethod(conn, 'list', kind)({ kind });
        const err = await rejection(attempt);
        expect(err, 'a system that only fails is reported, not retried forever').toBeDefined();
        seen.error(err);
      } finally {
        sandbox.faults.set(NO_FAULTS);
      }
    });
  });
}

/** Create and update the kind's sample while faults are on; returns what was declared. */
async function writeThroughFaults<S extends ContractSandbox>(
  conn: KindSession,
  sandbox: S,
  fixture: ContractFixture<S>,
  kind: string,
  def: KindDefinition,
  seen: Seen,
): Promise<Record<string, unknown>> {
  const sample = fixture.kinds[kind]!;
  const ctx = { conn, sandbox };
  const address = `${CONTRACT_PROVIDER}/${kind}/faulty`;
  let desired = await sampleAttributes(sample.create, ctx);
  const naturalKey = def.naturalKey(withoutIds(desired));
  const step = { kind, address, name: 'faulty', naturalKey };
  let object: RemoteObject | undefined =
    kindCapabilities(def).create === 'api'
      ? (
          await apiMethod(
            conn,
            'create',
            kind,
          )({ kind, address, attributes: desired, idempotencyKey: 'contract-faulty-create' })
        ).object
      : seen.operated(await conn.operate!({ ...step, operation: 'create', attributes: desired })).object;
  const changes = await sampleAttributes(sample.update, ctx);
  const byApi = changesBy(def, changes, 'api');
  if (object && Object.keys(byApi).length > 0) {
    const req = {
      kind,
      address,
      id: object.id,
      prior: object,
      changes: byApi,
      idempotencyKey: 'contract-faulty-update',
    };
    object = (await apiMethod(conn, 'update', req.kind)(req)).object;
    desired = { ...desired, ...byApi };
  }
  const byHand = changesBy(def, changes, 'manual');
  if (object && Object.keys(byHand).length > 0 && conn.operate) {
    desired = { ...desired, ...byHand };
    const req = {
      ...step,
      operation: 'update' as const,
      id: object.id,
      prior: object,
      attributes: desired,
      changes: byHand,
    };
    object = seen.operated(await conn.operate(req)).object ?? object;
  }
  seen.object(object);
  return desired;
}
