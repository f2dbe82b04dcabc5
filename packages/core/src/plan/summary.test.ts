import { describe, expect, it } from 'vitest';
import { summarizeChanges } from './summary.js';

describe('summarizeChanges', () => {
  it('counts per action (no-op not counted) and manual steps', () => {
    expect(
      summarizeChanges([
        { action: 'create', execution: 'api' },
        { action: 'create', execution: 'manual' },
        { action: 'no-op', execution: 'manual' },
        { action: 'deactivate', execution: 'api' },
      ]),
    ).toEqual({
      create: 2,
      update: 0,
      replace: 0,
      deactivate: 1,
      delete: 0,
      rotate: 0,
      import: 0,
      manual: 2,
    });
  });
});
