import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineOfIn, project, repoRoot, roster } from './helpers.js';
import { HANG_BOUND_MS, runToExit } from './support/run-to-exit.js';

// Patterns from manifests used to become backtracking RegExps: a policy exception address or a
// .rosterignore line with 8 `*` against a long address, or a personal-email `pattern` like
// `^(a+)+$`, held plan, drift or apply (and its state lock) for minutes. Each run here must exit by
// itself (killed and failed after HANG_BOUND_MS otherwise); nothing is asserted about speed.

const example = (file: string) => readFileSync(path.join(repoRoot, 'examples', file), 'utf8');
const LONG_NAME = 'a'.repeat(63);
/** A 63-character user id: the natural key unmanaged drift is addressed by. */
const LONG_ID = `WS_${'A'.repeat(60)}`;

function quickstart(extra: Record<string, string>): string {
  return project({
    'provider.yaml': example('quickstart/provider.yaml'),
    'access.yaml': example('quickstart/access.yaml'),
    'service-accounts.yaml': example('quickstart/service-accounts.yaml'),
    ...extra,
  });
}

/** A web services user whose name (63 characters) and e-mail are given. */
function account(name: string, id: string, email: string): string {
  return [
    'apiVersion: roster/v1',
    'kind: ServiceAccount',
    'metadata:',
    `  name: ${name}`,
    '  provider: intacct-sandbox',
    '  labels: { owner: finance-it, purpose: invoice-sync }',
    'spec:',
    `  id: ${id}`,
    '  userName: Long',
    `  email: ${email}`,
    `  contact: { firstName: Long, lastName: Name, email: ${email} }`,
    '',
  ].join('\n');
}

function policy(lines: string[]): string {
  return [
    'apiVersion: roster/v1',
    'kind: Policy',
    'metadata:',
    '  name: settings',
    'spec:',
    ...lines,
    '',
  ].join('\n');
}

function expectExited(r: { hung: boolean; stderr: string; stdout: string }): void {
  expect(r.hung, `still running after ${HANG_BOUND_MS} ms:\n${r.stdout}\n${r.stderr}`).toBe(false);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('patterns from manifests cannot hang a run', () => {
  it('a policy exception address with 8 `*` against a 63-character name: plan exits by itself', async () => {
    const dir = quickstart({
      'long.yaml': account(LONG_NAME, 'WS_LONG', 'john.smith@example.com'),
      'policy.yaml': policy([
        '  exceptions:',
        '    - rule: personal-email',
        `      address: 'intacct-sandbox/ServiceAccount/********!'`,
        '      reason: eight stars that match nothing',
      ]),
    });
    const r = await runToExit(dir, ['plan', '--allow-empty-state']);
    expectExited(r);
    expect(r.code, r.stderr).toBe(0);
    // The exception matched nothing: the finding stands and the unused exception is reported.
    expect(r.stderr).toMatch(/^long\.yaml:\d+:\d+: warning\[policy\/personal-email\]/m);
    expect(r.stderr).toMatch(/^policy\.yaml:7:7: warning\[policy\.unused-exception\]/m);
  });

  it('a .rosterignore line with 8 `*` against a 63-character id: drift exits by itself', async () => {
    const dir = quickstart({ 'long.yaml': account(LONG_NAME, LONG_ID, 'ws-long@example.com') });
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    // The account stays in the system but leaves state and manifests: unmanaged drift.
    expect(
      (await roster(['state', 'rm', `intacct-sandbox/ServiceAccount/${LONG_NAME}`], { cwd: dir })).code,
    ).toBe(0);
    rmSync(path.join(dir, 'long.yaml'));
    writeFileSync(path.join(dir, '.rosterignore'), 'unmanaged:intacct-sandbox/ServiceAccount/********!\n');
    const r = await runToExit(dir, ['drift']);
    expectExited(r);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toContain(`intacct-sandbox/ServiceAccount/${LONG_ID}`);
  });

  it("personal-email `pattern: '^(a+)+$'` on a 36-character mailbox: plan and apply exit by themselves", async () => {
    const dir = quickstart({
      'long.yaml': account('long', 'WS_LONG', `${'a'.repeat(36)}@example.com`),
      'policy.yaml': policy(['  rules:', '    personal-email:', "      options: { pattern: '^(a+)+$' }"]),
    });
    const plan = await runToExit(dir, ['plan', '--allow-empty-state']);
    expectExited(plan);
    expect(plan.code, plan.stderr).toBe(0);
    const apply = await runToExit(dir, ['apply', '--auto-approve']);
    expectExited(apply);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete!');
  });

  it('an e-mail of 400 KB whose domain is full of dots and fails at its end: validate exits by itself', async () => {
    // The schema pattern of every ServiceAccount e-mail used to backtrack quadratically on this.
    const dir = quickstart({
      'long.yaml': account('long', 'WS_LONG', `a@${'a.'.repeat(200_000)}x@`),
    });
    const r = await runToExit(dir, ['validate']);
    expectExited(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^long\.yaml:10:10: error\[manifest\.schema\]: spec\.email must match /m);
  });

  it('a pattern RE2 cannot run (a backreference) is refused at its manifest line, exit 1', async () => {
    const dir = quickstart({
      'policy.yaml': policy(['  rules:', '    personal-email:', "      options: { pattern: '^(a)\\1$' }"]),
    });
    for (const args of [['validate'], ['plan', '--allow-empty-state']]) {
      const r = await runToExit(dir, args);
      expectExited(r);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        /^policy\.yaml:8:\d+: error\[policy\.options\]: rule personal-email: regular expression "\^\(a\)\\\\1\$" is refused: .*backreferences are not supported/m,
      );
    }
  });

  it('getint personalMailboxPattern with lookahead is refused at the Provider document line', async () => {
    const dir = project({
      'connections.yaml': example('getint/connections.yaml'),
      'provider.yaml': `${example('getint/provider.yaml')}  personalMailboxPattern: '^(?!svc-)[a-z]+@'\n`,
    });
    const line = lineOfIn(path.join(dir, 'provider.yaml'), 'personalMailboxPattern');
    const r = await runToExit(dir, ['plan', '--allow-empty-state']);
    expectExited(r);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^provider\\.yaml:${line}:\\d+: error\\[getint\\.pattern\\]: personalMailboxPattern: regular expression .* is refused: .*lookahead and lookbehind are not supported`,
        'm',
      ),
    );
  });
});
