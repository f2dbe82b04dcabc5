import { describe, expect, it } from 'vitest';
import type { PlannedChange } from '../plan/types.js';
import { type Outcome, schedule } from './scheduler.js';

/** A change of provider `provider` at `index` that depends on `dependsOn`. */
const change = (index: number, provider: string, dependsOn: number[] = []) =>
  ({ index, provider, dependsOn, address: `${provider}/K/c${index}` }) as unknown as PlannedChange;

/** A run step that records start/end order and resolves each change when told to. */
function recorder(results: Record<number, Outcome> = {}) {
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    log,
    max: () => maxInFlight,
    steps: {
      async blocked(c: PlannedChange, by: false | 'pending') {
        log.push(`blocked ${c.index} ${by}`);
        return by;
      },
      async run(c: PlannedChange) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        log.push(`start ${c.index}`);
        // Let the other runnable changes start before this one ends.
        await new Promise((r) => setImmediate(r));
        inFlight--;
        log.push(`end ${c.index}`);
        return results[c.index] ?? true;
      },
    },
  };
}

describe('schedule', () => {
  it('runs a change only after everything it depends on has ended', async () => {
    const r = recorder();
    const changes = [change(0, 'p', [2]), change(1, 'p', [0]), change(2, 'p')];
    const outcomes = await schedule(changes, 8, r.steps);
    expect(r.log.indexOf('end 2')).toBeLessThan(r.log.indexOf('start 0'));
    expect(r.log.indexOf('end 0')).toBeLessThan(r.log.indexOf('start 1'));
    expect([...outcomes.entries()].sort()).toEqual([
      [0, true],
      [1, true],
      [2, true],
    ]);
  });

  it('blocks what depends on a failure with false, on a pending step with pending, failure first', async () => {
    const r = recorder({ 0: false, 1: 'pending' });
    const changes = [
      change(0, 'p'),
      change(1, 'p'),
      change(2, 'p', [1]),
      change(3, 'p', [0, 1]),
      change(4, 'p', [3]),
    ];
    const outcomes = await schedule(changes, 8, r.steps);
    expect(r.log).toContain('blocked 2 pending');
    expect(r.log).toContain('blocked 3 false');
    expect(r.log).toContain('blocked 4 false');
    expect(r.log.filter((l) => l.startsWith('start'))).toEqual(['start 0', 'start 1']);
    expect(outcomes.get(4)).toBe(false);
  });

  it('runs at most `concurrency` changes at once per provider, providers side by side', async () => {
    const one = recorder();
    await schedule(
      [0, 1, 2, 3, 4].map((i) => change(i, 'p')),
      2,
      one.steps,
    );
    expect(one.max()).toBe(2);
    const two = recorder();
    await schedule(
      [0, 1, 2, 3].map((i) => change(i, i % 2 ? 'a' : 'b')),
      1,
      two.steps,
    );
    expect(two.max()).toBe(2);
  });

  it('runs each change once however many depend on it', async () => {
    const r = recorder();
    await schedule(
      [change(0, 'p'), change(1, 'p', [0]), change(2, 'p', [0]), change(3, 'p', [1, 2, 0])],
      4,
      r.steps,
    );
    expect(r.log.filter((l) => l === 'start 0')).toHaveLength(1);
    expect(r.log.filter((l) => l.startsWith('start'))).toHaveLength(4);
  });
});
