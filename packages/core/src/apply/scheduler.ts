import pLimit from 'p-limit';
import type { PlannedChange } from '../plan/types.js';

/**
 * How a change ended, as the changes that depend on it see it: `true` done, `'pending'` a manual
 * step it is or waits for is not done yet, `false` failed or skipped.
 */
export type Outcome = true | false | 'pending';

/** What the scheduler does with each change once its dependencies have ended. */
export interface ScheduleSteps {
  /**
   * A dependency did not complete (`false`) or waits for a manual step (`'pending'`): the change
   * is not run; this settles it (records why) and returns its own outcome.
   */
  blocked(change: PlannedChange, by: false | 'pending'): Promise<Outcome>;
  /** Every dependency is done: run the change (called within its provider's concurrency limit). */
  run(change: PlannedChange): Promise<Outcome>;
}

/**
 * Run every change of a plan in dependency order (`dependsOn`, indexes into `changes`), at most
 * `concurrency` at once per provider. A change whose dependency failed is blocked with `false`
 * even when another one is pending: nothing can make it succeed on this run.
 */
export async function schedule(
  changes: readonly PlannedChange[],
  concurrency: number,
  steps: ScheduleSteps,
): Promise<Map<number, Outcome>> {
  const limiters = new Map<string, ReturnType<typeof pLimit>>();
  const limiterFor = (provider: string) => {
    let l = limiters.get(provider);
    if (!l) {
      l = pLimit(Math.max(1, concurrency));
      limiters.set(provider, l);
    }
    return l;
  };
  const outcomes = new Map<number, Promise<Outcome>>();
  const run = (change: PlannedChange): Promise<Outcome> => {
    const existing = outcomes.get(change.index);
    if (existing) return existing;
    const p = (async (): Promise<Outcome> => {
      const deps = await Promise.all(
        change.dependsOn.map((i) => {
          const dep = changes[i];
          if (!dep) throw new Error(`change ${change.index} depends on ${i}, which the plan does not hold`);
          return run(dep);
        }),
      );
      if (deps.some((ok) => ok === false)) return steps.blocked(change, false);
      if (deps.some((ok) => ok === 'pending')) return steps.blocked(change, 'pending');
      return limiterFor(change.provider)(() => steps.run(change));
    })();
    outcomes.set(change.index, p);
    return p;
  };
  await Promise.all(changes.map((c) => run(c)));
  const settled = new Map<number, Outcome>();
  for (const [index, p] of outcomes) settled.set(index, await p);
  return settled;
}
