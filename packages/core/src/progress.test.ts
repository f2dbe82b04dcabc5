import { describe, expect, it } from 'vitest';
import type { ExecuteEvent } from './apply/execute.js';
import type { PlannedChange } from './plan/types.js';
import { applyProgress, type Progress } from './progress.js';

const change = (address: string) => ({ address }) as PlannedChange;

describe('applyProgress', () => {
  it('counts ended changes of the total and names the oldest still in flight', () => {
    const seen: Progress[] = [];
    const on = applyProgress(3, (p) => seen.push(p));
    const events: ExecuteEvent[] = [
      { type: 'start', change: change('a') },
      { type: 'start', change: change('b') },
      { type: 'notice', change: change('a'), message: 'stored' },
      { type: 'done', change: change('a'), ms: 1 },
      { type: 'failed', change: change('b'), message: 'no' },
      { type: 'skipped', change: change('c'), reason: 'dependency' },
    ];
    for (const e of events) on(e);
    expect(seen.map((p) => `${p.done}/${p.total} ${p.current}`)).toEqual([
      '0/3 a',
      '0/3 a',
      '1/3 b',
      '2/3 b',
      '3/3 c',
    ]);
  });
});
