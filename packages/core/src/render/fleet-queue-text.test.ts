import { describe, expect, it } from 'vitest';
import { renderQueuedJobs } from './fleet-queue-text.js';

describe('renderQueuedJobs', () => {
  it('counts jobs per state and lists those not completed, failed first', () => {
    const text = renderQueuedJobs('r1', [
      { tenant: 'acme', state: 'completed', attempts: 1 },
      { tenant: 'globex', state: 'queued', attempts: 0 },
      { tenant: 'initech', state: 'failed', attempts: 4, error: 'its worker is gone' },
      { tenant: 'hooli', state: 'running', attempts: 2 },
    ]);
    expect(text).toMatchInlineSnapshot(`
      "Run r1: 4 jobs (1 failed, 1 running, 1 queued, 1 completed).
      TENANT   JOB      ATTEMPTS  LAST ERROR
      initech  failed   4         its worker is gone
      hooli    running  2
      globex   queued   0"
    `);
  });

  it('says only the count when every job is completed', () => {
    expect(renderQueuedJobs('r2', [{ tenant: 'acme', state: 'completed', attempts: 1 }])).toBe(
      'Run r2: 1 job (1 completed).',
    );
  });
});
