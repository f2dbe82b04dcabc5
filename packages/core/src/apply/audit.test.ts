import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import type { StateBackend } from '../state/types.js';
import { type AuditEntry, AuditLog, auditPath } from './audit.js';

describe('the audit log', () => {
  it('appends fsynced JSON lines (0600) and hands them to a backend that keeps an audit trail', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'roster-audit-'));
    const kept: AuditEntry[] = [];
    const backend = {
      appendAudit: async (entries: readonly AuditEntry[]) => {
        kept.push(...entries);
      },
    } as unknown as StateBackend;
    const log = new AuditLog({
      stateDir,
      runId: 'run-1',
      actor: 'alice',
      backend,
      log: silentLogger,
      now: () => new Date('2026-01-02T03:04:05.000Z'),
    });
    await log.append({ type: 'apply-start', planHash: 'sha256:00', source: 'plan', changes: 1 });
    await log.append({ type: 'operation', address: 'p/K/a', action: 'create', outcome: 'done', id: '7' });
    await log.close();
    const lines = readFileSync(auditPath(stateDir), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        runId: 'run-1',
        actor: 'alice',
        at: '2026-01-02T03:04:05.000Z',
        type: 'apply-start',
        planHash: 'sha256:00',
        source: 'plan',
        changes: 1,
      },
      {
        runId: 'run-1',
        actor: 'alice',
        at: '2026-01-02T03:04:05.000Z',
        type: 'operation',
        address: 'p/K/a',
        action: 'create',
        outcome: 'done',
        id: '7',
      },
    ]);
    expect(kept).toEqual(lines);
    expect(statSync(auditPath(stateDir)).mode & 0o777).toBe(0o600);
  });

  it('reports a log it cannot write once, without failing the apply', async () => {
    const warnings: string[] = [];
    const log = new AuditLog({
      stateDir: path.join(mkdtempSync(path.join(tmpdir(), 'roster-audit-')), 'missing', 'dir'),
      runId: 'r',
      actor: 'a',
      log: { ...silentLogger, warn: (m) => warnings.push(m) },
    });
    await log.append({
      type: 'operation',
      address: 'p/K/a',
      action: 'update',
      outcome: 'failed',
      message: 'x',
    });
    await log.append({ type: 'operation', address: 'p/K/b', action: 'update', outcome: 'done' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not write the audit log/);
  });
});
