import { describe, expect, it } from 'vitest';
import type { Plan, PlannedChange } from '../plan/types.js';
import type { JournalRecord, JournalWriter } from './journal.js';
import { type CrashPhase, idempotencyKey, OperationJournal } from './operation-journal.js';

const plan = { lineage: 'L', serial: 3, changes: [] } as unknown as Plan;
const change = (action: string, index = 0) =>
  ({
    index,
    action,
    address: `p/K/c${index}`,
    provider: 'p',
    kind: 'K',
    naturalKey: `c${index}`,
    id: '7',
    after: { a: 1 },
  }) as unknown as PlannedChange;

/** A journal writer that keeps what is appended, and the crash points passed, in one sequence. */
function recording() {
  const events: string[] = [];
  const records: JournalRecord[] = [];
  const journal = {
    async append(r: JournalRecord) {
      records.push(r);
      events.push(`append ${r.phase}`);
      return { ...r, seq: records.length, runId: 'run', at: '' };
    },
  } as unknown as JournalWriter;
  const crash = (phase: CrashPhase) => events.push(`crash ${phase}`);
  return { events, records, journal: new OperationJournal(plan, journal, crash) };
}

describe('OperationJournal', () => {
  it('journals an intent before the call and its outcome once, with the crash points between', async () => {
    const r = recording();
    const c = change('create');
    await r.journal.intent(c);
    await r.journal.outcome(c, 'done', '9');
    await r.journal.outcome(c, 'failed');
    expect(r.events).toEqual(['append intent', 'crash intent', 'crash call', 'append done', 'crash done']);
    expect(r.records[0]).toMatchObject({
      phase: 'intent',
      id: '7',
      idempotencyKey: idempotencyKey(plan, c, 'create'),
    });
    expect(r.records[1]).toMatchObject({ phase: 'done', id: '9', intentSeq: 1 });
  });

  it('journals nothing for an import or a reconfirmation, nor an outcome without an intent', async () => {
    const r = recording();
    await r.journal.intent(change('import'));
    await r.journal.intent(change('no-op', 1));
    await r.journal.outcome(change('create', 2), 'done');
    expect(r.records).toEqual([]);
  });

  it('gives a replacement the key of its create, and a delete none', async () => {
    const r = recording();
    await r.journal.intent(change('replace'));
    await r.journal.intent(change('delete', 1));
    expect(r.records[0]!.idempotencyKey).toBe(idempotencyKey(plan, change('replace'), 'create'));
    expect(r.records[1]!.idempotencyKey).toBeUndefined();
  });

  it('makes keys that differ by plan, change, step and values', () => {
    const c = change('create');
    const keys = new Set([
      idempotencyKey(plan, c, 'create'),
      idempotencyKey({ ...plan, serial: 4 }, c, 'create'),
      idempotencyKey(plan, change('create', 1), 'create'),
      idempotencyKey(plan, c, 'update'),
      idempotencyKey(plan, { ...c, after: { a: 2 } }, 'create'),
    ]);
    expect(keys.size).toBe(5);
    expect(idempotencyKey(plan, c, 'create')).toBe(idempotencyKey(plan, { ...c }, 'create'));
  });
});
