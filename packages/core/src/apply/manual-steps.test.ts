import { describe, expect, it } from 'vitest';
import { declared } from '../kind-fixtures.testing.js';
import type { KindSession } from '../kind-operations.js';
import { desired, plan } from '../plan/fixtures.testing.js';
import type { PlannedChange } from '../plan/types.js';
import type { KindDefinition, RemoteObject } from '../provider.js';
import type { StateBackend } from '../state/types.js';
import type { ManualOperator, ManualStepRequest } from './manual.js';
import { ManualSteps } from './manual-steps.js';
import { OperationJournal } from './operation-journal.js';
import { type OperationContext, OperationRunner } from './operation-runner.js';
import { RemoteObjects } from './remote-objects.js';
import { StateWriter } from './state-writer.js';
import { WireValues } from './wire-values.js';

// A kind only a person can create; its `tier` the system cannot report.
const seat: KindDefinition = {
  description: 'seat',
  role: 'account',
  schema: { type: 'object' },
  attributes: { name: { immutable: true }, team: {}, tier: { verifiable: false } },
  deleteMode: 'delete',
  naturalKey: (spec) => String(spec.name),
  naturalKeyAttribute: 'name',
  ...declared({ create: 'manual', read: 'api', update: 'api', delete: 'api' }, (req) => ({
    system: 'Desk',
    title: `create seat ${req.naturalKey}`,
    uiPath: ['Seats'],
    fields: [],
  })),
};
const kindOf = () => seat;

/** The manual steps of a plan creating seat S (team blue, tier gold) against a system holding `inSystem`. */
function setup(operator: ManualOperator | undefined, inSystem: () => RemoteObject[]) {
  const s = desired(
    'Role',
    's',
    { name: 'S', team: 'blue', tier: 'gold' },
    { kind: 'Seat', address: 'p/Seat/s' },
  );
  const p = plan({
    desired: [s],
    order: [s.address],
    remote: new Map([['p', new Map([['Seat', []]])]]),
    kindOf,
  });
  const conn = { list: async () => ({ objects: inSystem() }) } as unknown as KindSession;
  const backend = { location: 'memory', write: async () => {} } as unknown as StateBackend;
  const state = { version: 1, lineage: 'L', serial: 0, resources: {} };
  const writer = new StateWriter(backend, state, { checkpoints: false });
  const objects = new RemoteObjects({ remote: new Map(), state, changes: p.changes, kindOf });
  let clock = 0;
  const ctx: OperationContext = {
    plan: p,
    writer,
    objects,
    values: new WireValues({ kindDef: () => seat, writer, objects }),
    journal: new OperationJournal(p),
    kindDef: () => seat,
    connection: () => conn,
    now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)),
    actor: 'ann',
    notice: () => {},
  };
  const change = p.changes[0] as PlannedChange;
  return { steps: new ManualSteps(ctx, new OperationRunner(ctx), operator), change, writer };
}

/** An operator that says every step is done, and records what it was asked. */
const doneOperator = (canRetry: boolean) => {
  const asked: ManualStepRequest[] = [];
  const op: ManualOperator = {
    canRetry,
    async perform(req) {
      asked.push(req);
      return { status: 'done' };
    },
  };
  return { op, asked };
};

describe('ManualSteps', () => {
  it('leaves a step pending without an operator, and keeps when it was first handed out', async () => {
    const { steps, change, writer } = setup(undefined, () => []);
    expect(change.execution).toBe('manual');
    await expect(steps.perform(change)).rejects.toThrow('manual step: a person does it in the system');
    await steps.markPending(change);
    const first = writer.state.pending?.[change.address];
    expect(first).toMatchObject({ operation: 'create', title: 'create seat S' });
    await steps.markPending(change);
    expect(writer.state.pending?.[change.address]?.issuedAt).toBe(first?.issuedAt);
  });

  it('reads the system back, offers the step again with what is wrong, and records it once right', async () => {
    let team = 'red';
    const { op, asked } = doneOperator(true);
    const perform = op.perform.bind(op);
    op.perform = async (req) => {
      if (asked.length === 1) team = 'blue';
      return perform(req);
    };
    const { steps, change, writer } = setup(op, () => [
      { id: '9', naturalKey: 'S', attributes: { name: 'S', team } },
    ]);
    await steps.markPending(change);
    await steps.perform(change);
    expect(asked.map((a) => a.problems)).toEqual([
      undefined,
      ['team is "red" in the system; the step says "blue"'],
    ]);
    expect(asked[0]?.number).toBe(1);
    const r = writer.state.resources[change.address];
    expect(r).toMatchObject({ id: '9', attributes: { name: 'S', team: 'blue', tier: 'gold' } });
    // What the system cannot report rests on the person's word.
    expect(Object.keys(r?.attestations ?? {})).toEqual(['tier']);
    expect(r?.attestations?.tier).toMatchObject({ by: 'ann', via: 'operator' });
    expect(writer.state.pending).toBeUndefined();
  });

  it('leaves a step pending when verification fails and the operator cannot retry', async () => {
    const { op, asked } = doneOperator(false);
    const { steps, change, writer } = setup(op, () => []);
    await expect(steps.perform(change)).rejects.toThrow('verification failed: no Seat S found in the system');
    expect(asked).toHaveLength(1);
    expect(writer.state.resources).toEqual({});
  });

  it('gives up after five attempts of an operator that can retry', async () => {
    const { op, asked } = doneOperator(true);
    const { steps, change } = setup(op, () => []);
    await expect(steps.perform(change)).rejects.toThrow('verification failed');
    expect(asked).toHaveLength(5);
  });
});
