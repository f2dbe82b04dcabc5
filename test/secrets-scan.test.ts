import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialReferences, scanRecords } from './secrets-scan.js';

// The scan that runs after the whole suite (test/global-setup.ts), checked on records made up here.
describe('secrets scan', () => {
  const scratch = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roster-scan-'));
    mkdirSync(path.join(dir, '.roster'), { recursive: true });
    mkdirSync(path.join(dir, 'secrets'), { recursive: true });
    writeFileSync(
      path.join(dir, 'p.yaml'),
      [
        'kind: Provider',
        'spec:',
        '  companyId: ${env:NOT_A_SECRET}',
        '  credentials:',
        '    clientId: ${env:SCAN_CID}',
        '    clientSecret: ${file:secrets/cs.txt}',
        '---',
        'spec:',
        '  credentials: { token: "${file:secrets/tok.txt}" }',
        '  note: ${file:/etc/hostname}',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'secrets/cs.txt'), 'file-secret-value-1\n');
    writeFileSync(path.join(dir, 'secrets/tok.txt'), 'shown-once-token-2\n');
    return dir;
  };

  it('finds only references inside credentials blocks', () => {
    const dir = scratch();
    const text = `${dir}/p.yaml`;
    expect(credentialReferences(readFileSync(text, 'utf8'))).toEqual([
      { scheme: 'env', target: 'SCAN_CID' },
      { scheme: 'file', target: 'secrets/cs.txt' },
      { scheme: 'file', target: 'secrets/tok.txt' },
    ]);
  });

  it('passes when credentials stay in their own files, and names file and credential of each leak', () => {
    const dir = scratch();
    const run = {
      type: 'run' as const,
      label: 'roster plan',
      cwd: dir,
      env: { SCAN_CID: 'env-client-id-3', NOT_A_SECRET: 'demo-company', ROSTER_PLAN_KEY: 'plan-key-4444' },
      stdout: 'No changes.',
      stderr: '',
    };
    const clean = scanRecords([{ type: 'dir', dir }, run]);
    expect(clean.leaks).toEqual([]);
    expect(clean.counts.credentials).toBe(4);
    expect(clean.counts.streams).toBe(2);

    writeFileSync(path.join(dir, '.roster/state.json'), '{"x":"shown-once-token-2"}');
    writeFileSync(path.join(dir, '.roster/audit.jsonl'), 'plan-key-4444 env-client-id-3 demo-company');
    const leaky = scanRecords([
      { type: 'dir', dir },
      { ...run, stderr: 'debug: secret file-secret-value-1' },
      { type: 'credential', name: 'api-token', value: 'tok-from-test-5' },
      { type: 'run', label: 'roster test', cwd: dir, env: {}, stdout: 'tok-from-test-5', stderr: '' },
    ]);
    const found = leaky.leaks.map((l) => `${l.credential} @ ${l.where.replace(dir, 'DIR')}`).sort();
    expect(found).toEqual([
      'api-token @ stdout of roster test (in DIR)',
      'env:ROSTER_PLAN_KEY @ file DIR/.roster/audit.jsonl',
      'env:SCAN_CID @ file DIR/.roster/audit.jsonl',
      'file:secrets/cs.txt @ stderr of roster plan (in DIR)',
      'file:secrets/tok.txt @ file DIR/.roster/state.json',
    ]);
    // A leak report never carries a value.
    expect(JSON.stringify(leaky.leaks)).not.toMatch(/tok-from-test-5|file-secret-value-1|plan-key-4444/);
  });
});
