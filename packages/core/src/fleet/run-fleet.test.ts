import { describe, expect, it } from 'vitest';
import { type FleetRun, fleetExitCode } from './run-fleet.js';
import type { FleetCommand, TenantResult } from './tenant-result.js';
import { tenantResult } from './tenant-result.testing.js';

const r = (exitCode: number, changes = 0): TenantResult =>
  tenantResult(`t${exitCode}-${changes}`, { exitCode, changes });
const run = (command: FleetCommand, results: TenantResult[], notRun: FleetRun['notRun'] = []): FleetRun => ({
  command,
  fleet: 'f',
  results,
  notRun,
  canary: [],
  diagnostics: [],
});

describe('fleetExitCode', () => {
  it('is the single-project exit code over all tenants, the most serious first', () => {
    expect(fleetExitCode(run('apply', [r(0), r(3), r(1)]))).toBe(1);
    expect(fleetExitCode(run('apply', [r(0), r(3), r(130)]))).toBe(130);
    expect(fleetExitCode(run('apply', [r(143), r(130)]))).toBe(143);
    expect(fleetExitCode(run('apply', [r(0), r(3)]))).toBe(3);
    expect(fleetExitCode(run('drift', [r(0), r(2)]))).toBe(2);
    expect(fleetExitCode(run('apply', [r(0)]))).toBe(0);
  });

  it('fails a run a failed canary stopped, and calls one with tenants left by an interrupt interrupted', () => {
    expect(fleetExitCode(run('apply', [r(3)], [{ tenant: 'b', reason: 'canary-failed' }]))).toBe(1);
    expect(fleetExitCode(run('apply', [r(0)], [{ tenant: 'b', reason: 'interrupted' }]))).toBe(130);
    expect(fleetExitCode(run('apply', [r(0)], [{ tenant: 'b', reason: 'already-applied' }]))).toBe(0);
  });

  it('gives plan 2 for changes only with --detailed-exitcode', () => {
    expect(fleetExitCode(run('plan', [r(0, 3)]))).toBe(0);
    expect(fleetExitCode(run('plan', [r(0, 3)]), { detailedExitcode: true })).toBe(2);
    expect(fleetExitCode(run('plan', [r(0, 0)]), { detailedExitcode: true })).toBe(0);
  });
});
