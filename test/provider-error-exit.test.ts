import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, repoRoot } from './helpers.js';
import { HANG_BOUND_MS, runToExit } from './support/run-to-exit.js';

// A provider that cannot connect beside a sandbox provider: the sandbox's simulator (an HTTP server
// in the process) used to be left listening, and the built CLI printed the right error and never
// exited. (A first plan or drift passes --allow-empty-state: it must reach the connections.) Each command runs as its own process and must exit by itself: it is waited for by its
// `exit` event, and killed (failing the test) only if it is still running after HANG_BOUND_MS.

const example = (file: string) => readFileSync(path.join(repoRoot, 'examples', file), 'utf8');

/** examples/quickstart (an Intacct sandbox) plus an Autotask Provider with `endpoint: auto` and no credentials. */
function quickstartWithAutotaskAuto(): string {
  return project({
    'provider.yaml': example('quickstart/provider.yaml'),
    'access.yaml': example('quickstart/access.yaml'),
    'service-accounts.yaml': example('quickstart/service-accounts.yaml'),
    'autotask.yaml': [
      'apiVersion: roster/v1',
      'kind: Provider',
      'metadata:',
      '  name: autotask-prod',
      'spec:',
      '  type: autotask',
      '  endpoint: auto',
      '',
    ].join('\n'),
  });
}

/** examples/autotask (an Autotask sandbox) plus an AFAS Provider whose token is badly shaped. */
function autotaskSandboxWithBadAfasToken(): string {
  return project({
    'provider.yaml': example('autotask/provider.yaml'),
    'office-protect.yaml': example('autotask/office-protect.yaml'),
    'afas.yaml': [
      'apiVersion: roster/v1',
      'kind: Provider',
      'metadata:',
      '  name: afas-prod',
      'spec:',
      '  type: afas',
      '  endpoint: https://12345.rest.afas.online/ProfitRestServices',
      '  credentials:',
      '    token: ${env:ROSTER_TEST_AFAS_TOKEN}',
      '',
    ].join('\n'),
  });
}

const CONNECT_ERROR =
  /^autotask\.yaml:7:13: error\[provider\.connect\]: provider autotask-prod: endpoint auto needs credentials/m;
const AFAS_ERROR =
  /^afas\.yaml:\d+:\d+: error\[provider\.connect\]: provider afas-prod: .*not an AFAS token/m;

describe('a failing provider beside a sandbox: every command exits by itself', () => {
  const quickstart = quickstartWithAutotaskAuto();
  const cases: Array<{ args: string[]; code: number; stderr?: RegExp }> = [
    { args: ['plan', '--allow-empty-state'], code: 1, stderr: CONNECT_ERROR },
    { args: ['plan', '--refresh-only', '--allow-empty-state'], code: 1, stderr: CONNECT_ERROR },
    { args: ['apply', '--auto-approve'], code: 1, stderr: CONNECT_ERROR },
    { args: ['drift', '--allow-empty-state'], code: 1, stderr: CONNECT_ERROR },
    { args: ['test'], code: 1, stderr: CONNECT_ERROR },
    { args: ['validate'], code: 0 },
    { args: ['export', '--provider', 'autotask-prod'], code: 1, stderr: CONNECT_ERROR },
    { args: ['export', '--provider', 'intacct-sandbox'], code: 0 },
    { args: ['import', 'intacct-sandbox/ServiceAccount/invoice-portal', 'NO_SUCH_USER'], code: 1 },
    { args: ['sandbox', 'serve', '--provider', 'autotask-prod'], code: 1, stderr: /is not a sandbox/ },
    { args: ['providers'], code: 0 },
  ];
  for (const c of cases) {
    it(`roster ${c.args.join(' ')} (quickstart + Autotask endpoint auto without credentials)`, async () => {
      const r = await runToExit(quickstart, c.args);
      expect(r.hung, `still running after ${HANG_BOUND_MS} ms:\n${r.stderr}`).toBe(false);
      expect(r.code, r.stderr).toBe(c.code);
      if (c.stderr) expect(r.stderr).toMatch(c.stderr);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  const afas = autotaskSandboxWithBadAfasToken();
  const env = { ROSTER_TEST_AFAS_TOKEN: '<token>not-closed' };
  for (const args of [
    ['plan', '--allow-empty-state'],
    ['apply', '--auto-approve'],
    ['drift', '--allow-empty-state'],
    ['test'],
  ]) {
    it(`roster ${args.join(' ')} (Autotask sandbox + a badly shaped AFAS token)`, async () => {
      const r = await runToExit(afas, args, env);
      expect(r.hung, `still running after ${HANG_BOUND_MS} ms:\n${r.stderr}`).toBe(false);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(AFAS_ERROR);
    });
  }
});
