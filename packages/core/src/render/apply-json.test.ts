import { describe, expect, it } from 'vitest';
import type { ApplyOutcome } from '../apply/apply-project.js';
import type { ExecuteResult } from '../apply/execute.js';
import type { Plan, PlannedChange } from '../plan/types.js';
import { applyDocument } from './apply-json.js';

const change = (index: number, address: string, extra: Partial<PlannedChange> = {}) =>
  ({
    index,
    address,
    provider: 'p',
    kind: address.split('/')[1],
    action: 'create',
    execution: 'api',
    ...extra,
  }) as PlannedChange;
const seat = change(0, 'p/Seat/s', {
  execution: 'manual',
  manual: { operation: 'create', runbook: { title: 'create seat S' } } as PlannedChange['manual'],
});
const user = change(1, 'p/User/u');
const link = change(2, 'p/Link/l');
const gone = change(3, 'p/User/old', { action: 'deactivate', id: '42' });
const plan = { mode: 'normal', changes: [seat, user, link, gone] } as unknown as Plan;
const result: ExecuteResult = {
  state: {
    version: 1,
    lineage: 'L',
    serial: 2,
    resources: { 'p/User/u': { id: '7' } as ExecuteResult['state']['resources'][string] },
  },
  applied: [user, gone],
  failed: [],
  skipped: [],
  pending: [
    { change: seat, reason: 'manual step: a person does it in the system' },
    { change: link, reason: 'waits for p/Seat/s' },
  ],
  interrupted: false,
};

describe('applyDocument', () => {
  it('says what came of each change, the manual steps left and what waits for them', () => {
    const outcome: ApplyOutcome = {
      exitCode: 3,
      stage: 'applied',
      plan,
      result,
      runbook: '/r.md',
      summary: [],
    };
    const doc = applyDocument(outcome);
    expect(doc).toMatchObject({
      outcome: 'pending',
      exitCode: 3,
      mode: 'normal',
      counts: { done: 2, failed: 0, skipped: 0, pending: 2 },
      runbook: '/r.md',
    });
    expect(doc.planHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(doc.changes.map((c) => [c.address, c.outcome, c.id])).toEqual([
      ['p/Seat/s', 'pending', undefined],
      ['p/User/u', 'done', '7'],
      ['p/Link/l', 'pending', undefined],
      ['p/User/old', 'done', '42'],
    ]);
    expect(doc.manualSteps).toEqual([
      {
        address: 'p/Seat/s',
        operation: 'create',
        title: 'create seat S',
        reason: 'manual step: a person does it in the system',
      },
    ]);
    expect(doc.waiting).toEqual([{ address: 'p/Link/l', reason: 'waits for p/Seat/s' }]);
  });

  it('marks every change not-run when the plan was not applied, without a runbook', () => {
    const doc = applyDocument({ exitCode: 1, stage: 'cancelled', plan, summary: [] });
    expect(doc.outcome).toBe('cancelled');
    expect(doc.meaning).toBe('the plan was not confirmed; nothing was applied');
    expect(doc.changes.every((c) => c.outcome === 'not-run')).toBe(true);
    expect(doc.runbook).toBeUndefined();
  });

  it('is failed when state could not be written, even if the run was interrupted', () => {
    const doc = applyDocument({
      exitCode: 1,
      stage: 'applied',
      plan,
      result: { ...result, pending: [], interrupted: true, stateError: 'disk full' },
      summary: [],
    });
    expect(doc).toMatchObject({ outcome: 'failed', stateError: 'disk full' });
  });
});
