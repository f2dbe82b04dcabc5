import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../sandbox/server.js';
import { AutotaskClient, clearZoneCache } from './client.js';
import { AutotaskBudgetError } from './errors.js';
import { HourlyBudget, type ThresholdInfo } from './hourly-budget.js';

const creds = { username: 'roster-api@example.com', secret: 'top-secret-value', integrationCode: 'INTCODE' };

/** A budget over a scripted threshold and a clock that moves only when it sleeps. */
function budget(
  reads: ThresholdInfo[],
  opts: { share?: number; checkEvery?: number; maxWaitMs?: number } = {},
) {
  let now = Date.parse('2026-01-01T10:00:00Z');
  const waits: number[] = [];
  const b = new HourlyBudget({
    share: opts.share ?? 0.5,
    checkEvery: opts.checkEvery ?? 1000,
    maxWaitMs: opts.maxWaitMs ?? 0,
    paceMs: 0,
    read: async () => reads.shift() ?? reads.at(-1)!,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    now: () => now,
  });
  return { b, waits, now: () => now };
}
const info = (limit: number, used: number): ThresholdInfo => ({
  externalRequestThreshold: limit,
  requestThresholdTimeframe: 60,
  currentTimeframeRequestCount: used,
});

describe('HourlyBudget', () => {
  it('allows a share of what is left when it first looks, then stops with the window reset time', async () => {
    const { b } = budget([info(10_000, 9_000)]);
    for (let i = 0; i < 500; i++) await b.take();
    const err = await b.take().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AutotaskBudgetError);
    expect((err as Error).message).toContain('roster has made 500 requests in this hour, its budget of 500');
    expect((err as Error).message).toContain("frees roster's requests by 11:00 UTC (in 60 min)");
  });

  it('shrinks (never grows) the allowance when others use more meanwhile', async () => {
    // First look: 100 left → 50. After 10 requests others have used 80 more: 10 left → 5 more.
    const { b } = budget([info(1000, 900), info(1000, 990), info(1000, 100)], { checkEvery: 10 });
    let made = 0;
    const err = await (async () => {
      for (;;) {
        await b.take();
        made += 1;
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AutotaskBudgetError);
    // 10 before the re-read, the re-read itself, then 5 → allowance 15, of which 10 + 1 + 4 taken.
    expect(b.snapshot()?.allowance).toBe(15);
    expect(made).toBe(14);
  });

  it('waits for the window instead of failing when it frees roster within maxWaitMs', async () => {
    const { b, waits } = budget([info(100, 98), info(100, 0)], { maxWaitMs: 3_600_000 });
    await b.take();
    await b.take();
    expect(waits).toEqual([3_600_000]);
    expect(b.snapshot()?.allowance).toBe(50);
  });
});

describe('the client against the simulator threshold', () => {
  let sim: Simulator;
  beforeEach(async () => {
    clearZoneCache();
    sim = await startSimulator({ credentials: creds });
  });
  afterEach(() => sim.close());

  it('never sends a request past the budget (default --api-budget 0.5)', async () => {
    sim.threshold.set({ limit: 40, used: 20 });
    const client = new AutotaskClient({
      restRoot: `${sim.url}/ATServicesRest`,
      credentials: creds,
      paceMs: 0,
    });
    let ok = 0;
    const err = await (async () => {
      for (;;) {
        await client.get('Resources', 1);
        ok += 1;
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AutotaskBudgetError);
    // 20 left; the threshold read counts itself (19 left when it answers): 9 reads.
    expect(ok).toBe(9);
    // roster's total, the read included, stays within half of the 20 left.
    expect(sim.threshold.get().used - 20).toBe(10);
  });
});
