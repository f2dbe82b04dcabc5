import { describe, expect, it } from 'vitest';
import type { ExecuteResult } from '../apply/execute.js';
import type { PlannedChange } from '../plan/types.js';
import { renderApplySummary, renderExecuteEvent } from './apply-summary.js';

const change = (address: string, action: PlannedChange['action'], manual = false) =>
  ({ address, action, ...(manual ? { manual: { operation: 'create' } } : {}) }) as PlannedChange;
const result = (over: Partial<ExecuteResult>): ExecuteResult => ({
  state: { version: 1, lineage: 'L', serial: 1, resources: {} },
  applied: [],
  failed: [],
  skipped: [],
  pending: [],
  interrupted: false,
  ...over,
});
const ctx = { runbook: '/p/.roster/runbook.md', journalLocation: '/p/.roster/journal' };

describe('renderApplySummary', () => {
  it('counts what was done by action, imports and rotations only when there are some', () => {
    const r = result({ applied: [change('a', 'create'), change('b', 'create'), change('c', 'rotate')] });
    expect(renderApplySummary(r, ctx)).toEqual([
      'Apply complete! 2 created, 0 updated, 0 replaced, 0 deactivated, 0 deleted, 1 rotated.',
    ]);
  });

  it('lists the manual steps pending and what waits for them, with the runbook', () => {
    const r = result({
      applied: [change('a', 'create')],
      pending: [
        { change: change('s', 'create', true), reason: 'manual step: a person does it in the system' },
        { change: change('u', 'update'), reason: 'waits for s' },
      ],
    });
    expect(renderApplySummary(r, ctx)).toEqual([
      'Apply incomplete: 1 created, 0 updated, 0 replaced, 0 deactivated, 0 deleted.',
      '1 manual step(s) pending, 1 change(s) waiting for them; the runbook is in /p/.roster/runbook.md. Do the steps, then run roster apply again (on a terminal, or with --confirm ADDR).',
      '  s: manual step: a person does it in the system',
      '  u: waits for s',
    ]);
  });

  it('puts a state that could not be written before an interrupt, and names the journal', () => {
    const r = result({
      interrupted: true,
      stateError: 'disk full',
      skipped: [{ change: change('b', 'create'), reason: 'x' }],
    });
    expect(renderApplySummary(r, ctx)[0]).toBe(
      'Apply failed: state could not be written (disk full); 0 created, 0 updated, 0 replaced, 0 deactivated, 0 deleted, 1 not started. The journal (/p/.roster/journal) holds every change that was made: the next roster plan or apply records them in state. Fix the cause first.',
    );
    expect(renderApplySummary({ ...r, stateError: undefined } as ExecuteResult, ctx)).toEqual([
      'Interrupted: 0 created, 0 updated, 0 replaced, 0 deactivated, 0 deleted; 0 failed, 1 not started. State is saved; run roster apply again to finish.',
    ]);
  });
});

describe('renderExecuteEvent', () => {
  it('says one line per event', () => {
    const c = change('p/User/a', 'create');
    expect(renderExecuteEvent({ type: 'start', change: c })).toBe('p/User/a: create…');
    expect(renderExecuteEvent({ type: 'done', change: c, ms: 12 })).toBe('p/User/a: create done (12 ms)');
    expect(renderExecuteEvent({ type: 'failed', change: c, message: 'no' })).toBe(
      'p/User/a: create FAILED: no',
    );
    expect(renderExecuteEvent({ type: 'notice', change: c, message: 'stored' })).toBe('p/User/a: stored');
  });
});
