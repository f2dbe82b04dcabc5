import type { TenantResult } from '@roster/core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../../../test/support/postgres-database.js';
import { PgBossFleetQueue } from './pg-boss-queue.js';
import { QueuedRunResults } from './run-results.js';
import { runWorker, type WorkerEvent } from './worker.js';

// Against the real PostgreSQL server the test setup starts (test/setup/postgres.ts).
const server = inject('postgres');
const queues: PgBossFleetQueue[] = [];

async function fresh(): Promise<{ queue: PgBossFleetQueue; results: QueuedRunResults }> {
  const url = await freshDatabase(server, 'q');
  const queue = new PgBossFleetQueue({ url, fleet: 'unit' });
  queues.push(queue);
  return { queue, results: new QueuedRunResults({ pool: () => queue.pool(), location: 'test' }) };
}

afterAll(async () => {
  await Promise.all(queues.map((q) => q.close()));
});

const result = (tenant: string): TenantResult => ({
  tenant,
  command: 'drift',
  exitCode: 0,
  outcome: 'ok',
  changes: 0,
  planned: [],
  manualSteps: 0,
  blockingFindings: 0,
  drift: [],
  drifted: 0,
  deviations: [],
  diagnostics: [],
  finishedAt: new Date().toISOString(),
});

describe.skipIf(!server.available)('PgBossFleetQueue', () => {
  it('never hands out a job of a tenant whose job is running (singleton per tenant)', async () => {
    const { queue } = await fresh();
    await queue.enqueue({ runId: 'r1', command: 'drift', tenants: ['acme', 'globex'], options: {} });
    await queue.enqueue({ runId: 'r2', command: 'drift', tenants: ['acme'], options: {} });
    await queue.enqueue({ runId: 'r3', command: 'drift', tenants: ['hooli'], options: {} });
    const taken = [(await queue.take())!, (await queue.take())!].sort((x, y) =>
      x.tenant.localeCompare(y.tenant),
    );
    expect(taken.map((j) => `${j.runId}/${j.tenant}`)).toEqual(['r1/acme', 'r1/globex']);
    // r2's acme waits while r1's acme runs, and holds back no job queued after it…
    const hooli = await queue.take();
    expect(`${hooli?.runId}/${hooli?.tenant}`).toBe('r3/hooli');
    expect(await queue.take()).toBeUndefined();
    expect((await queue.runJobs('r1')).map((j) => [j.tenant, j.state, j.attempts])).toEqual([
      ['acme', 'running', 1],
      ['globex', 'running', 1],
    ]);
    await queue.complete(taken[0]!);
    // …and is handed out once it is done.
    const third = await queue.take();
    expect([third?.runId, third?.tenant, third?.attempt]).toEqual(['r2', 'acme', 1]);
  });

  it("retries a running job whose worker's session is gone, and only that one", async () => {
    const { queue } = await fresh();
    await queue.enqueue({ runId: 'r1', command: 'plan', tenants: ['acme', 'globex'], options: {} });
    const [a, b] = [(await queue.take())!, (await queue.take())!].sort((x, y) =>
      x.tenant.localeCompare(y.tenant),
    );
    if (!a || !b) throw new Error('two jobs expected');
    const claimA = (await queue.claim(a, 'w1'))!;
    const claimB = (await queue.claim(b, 'w2'))!;
    // Another claim on a running tenant is refused (its lock is held).
    expect(await queue.claim(a, 'w3')).toBeUndefined();
    expect(await queue.retryOrphans()).toEqual([]);
    await claimA.release(); // as when the worker dies: its session ends
    expect(await queue.retryOrphans()).toEqual(['acme']);
    const jobs = await queue.runJobs('r1');
    expect(jobs).toEqual([
      { tenant: 'acme', state: 'retry', attempts: 1, error: 'its worker is gone' },
      { tenant: 'globex', state: 'running', attempts: 1 },
    ]);
    await claimB.release();
  });

  it('records a result once: a retried job whose result is recorded is completed without running again', async () => {
    const { queue, results } = await fresh();
    await queue.enqueue({ runId: 'r1', command: 'drift', tenants: ['acme', 'globex'], options: {} });
    // A worker recorded acme's result and died before completing the job.
    await results.recordRun({
      runId: 'r1',
      tenant: 'acme',
      jobId: '00000000-0000-0000-0000-000000000000',
      worker: 'gone:1',
      startedAt: new Date(),
      result: result('acme'),
    });
    const events: WorkerEvent[] = [];
    const ran: string[] = [];
    const { ran: taken } = await runWorker({
      queue,
      results,
      worker: 'w:1',
      concurrency: 2,
      once: true,
      run: async (job) => {
        ran.push(job.tenant);
        return result(job.tenant);
      },
      onEvent: (e) => events.push(e),
      pollMs: 10,
    });
    expect(taken).toBe(2);
    expect(ran).toEqual(['globex']);
    expect(events.map((e) => `${e.type}:${'job' in e ? e.job.tenant : ''}`).sort()).toEqual([
      'already-recorded:acme',
      'finished:globex',
      'started:globex',
    ]);
    expect((await results.runResults('r1')).map((r) => r.tenant).sort()).toEqual(['acme', 'globex']);
    expect((await queue.runJobs('r1')).map((j) => j.state)).toEqual(['completed', 'completed']);
  });

  it('fails an attempt whose run throws: the job waits for its retry with the reason', async () => {
    const { queue, results } = await fresh();
    await queue.enqueue({ runId: 'r1', command: 'drift', tenants: ['acme'], options: {} });
    await runWorker({
      queue,
      results,
      worker: 'w:1',
      concurrency: 1,
      once: true,
      run: async () => {
        throw new Error('connection refused\nat somewhere');
      },
      pollMs: 10,
    });
    expect(await queue.runJobs('r1')).toEqual([
      { tenant: 'acme', state: 'retry', attempts: 1, error: 'connection refused' },
    ]);
    expect(await results.runResults('r1')).toEqual([]);
  });
});
