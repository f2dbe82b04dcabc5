import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAuditLog } from './audit-read.js';

describe('readAuditLog', () => {
  it('reads the lines oldest first, skipping a torn one; none without a file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-audit-'));
    expect(await readAuditLog(dir)).toEqual([]);
    const entry = {
      type: 'operation',
      runId: 'r',
      actor: 'a',
      at: '2026-12-08T00:00:00Z',
      address: 'p/K/n',
      action: 'update',
      outcome: 'done',
    };
    writeFileSync(path.join(dir, 'audit.jsonl'), `${JSON.stringify(entry)}\n{"type":"oper`);
    expect(await readAuditLog(dir)).toEqual([entry]);
  });
});
