import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, lineOfIn, roster } from './helpers.js';

/** Issue 16, item 10: the lesser findings of the attack, each through the built CLI. */
describe('hardening (issue 16, item 10)', () => {
  it('refuses a 4.9 MB userName at its manifest line instead of sending it', async () => {
    const dir = copyExample('quickstart');
    const file = path.join(dir, 'huge.yaml');
    writeFileSync(
      file,
      `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: huge, provider: intacct-sandbox, labels: { owner: x, purpose: y } }
spec:
  id: WS_HUGE
  userName: ${'A'.repeat(4_900_000)}
  email: ws-huge@example.com
  contact: { firstName: Huge, lastName: Name, email: ws-huge@example.com }
`,
    );
    // What the attack ran: an apply, which created the user with the 4.9 MB name.
    const r = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^huge\.yaml:6:\d+: error\[manifest\.schema\]: spec\.userName .*255/m);
    expect(r.stderr.length).toBeLessThan(2_000);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Nothing reached the sandbox: the run stopped before connecting, so no state exists.
    expect(existsSync(path.join(dir, '.roster', 'state.json'))).toBe(false);
  });

  it('warns of a new ID that differs from an existing one only by case, invisible or look-alike characters', async () => {
    const dir = copyExample('quickstart');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const file = path.join(dir, 'look-alike.yaml');
    const account = (name: string, id: string) => `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: ${name}, provider: intacct-sandbox, labels: { owner: x, purpose: y } }
spec:
  id: "${id}"
  email: ${name}@example.com
  contact: { firstName: A, lastName: B, email: ${name}@example.com }
`;
    writeFileSync(
      file,
      [
        account('greek-iota', 'WS_\\u0399NVOICE_PORTAL'),
        account('zero-width', 'WS_BI_EXPORT\\u200B'),
        account('lower-case', 'ws_invoice_portal'),
        account('really-new', 'WS_REALLY_NEW'),
      ].join('---\n'),
    );
    const r = await roster(['plan'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('warning[plan.look-alike-key]'));
    const line = (needle: string) => `look-alike.yaml:${lineOfIn(file, needle)}:`;
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^${line('u0399')}\\d+: .*"WS_\\\\u\\{399\\}NVOICE_PORTAL" differs from the existing ServiceAccount "WS_INVOICE_PORTAL" only by look-alike characters \\(U\\+0399\\)`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^${line('u200B')}\\d+: .*differs from the existing ServiceAccount "WS_BI_EXPORT" only by invisible or look-alike characters \\(U\\+200B\\)`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^${line('ws_invoice_portal')}\\d+: .*"ws_invoice_portal" differs from the existing ServiceAccount "WS_INVOICE_PORTAL" only by case`,
          ),
        ),
      ]),
    );
    expect(warnings.filter((w) => w.includes('the existing ServiceAccount'))).toHaveLength(3);
    // The Greek and the lower-case IDs also look like each other: each says so of the other.
    expect(warnings.filter((w) => w.includes('the declared ServiceAccount'))).toHaveLength(2);
    expect(warnings).toHaveLength(5);
    // A really new ID next to them is planned without such a warning.
    expect(r.stdout).toContain('WS_REALLY_NEW');
    expect(r.stderr).not.toContain('"WS_REALLY_NEW" differs');
  });

  it('prints at most 100 errors of one file, then how many more', async () => {
    const dir = copyExample('quickstart');
    const lines = [
      'apiVersion: roster/v1',
      'kind: ServiceAccount',
      'metadata: { name: anchors, provider: intacct-sandbox }',
      'spec:',
      '  id: WS_ANCHORS',
    ];
    for (let i = 0; i < 20_000; i++) lines.push(`  k${i}: &a${i} v`);
    writeFileSync(path.join(dir, 'anchors.yaml'), `${lines.join('\n')}\n`);
    const r = await roster(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    const printed = r.stderr.trim().split('\n');
    expect(printed.length).toBeLessThanOrEqual(102);
    expect(printed.filter((l) => l.startsWith('anchors.yaml:')).length).toBe(101);
    expect(r.stderr).toMatch(
      /anchors\.yaml:\d+:1: error\[manifest\.too-many-diagnostics\]: … and 19,9\d\d more errors in anchors\.yaml \(the first 100 are shown\)/,
    );
  });

  it('removes the state temp files a SIGKILL left behind on the next run', async () => {
    const dir = copyExample('quickstart');
    expect((await roster(['apply', '--auto-approve'], { cwd: dir })).code).toBe(0);
    const stateDir = path.join(dir, '.roster');
    // What a kill between write-file-atomic's temp file and its rename leaves (`<file>.<hash>`).
    for (const name of ['state.json.backup.1893415123', 'state.json.2204811777'])
      writeFileSync(path.join(stateDir, name), '{"version":');
    const r = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('removed 2 temporary state files left by an interrupted write');
    expect(readdirSync(stateDir).filter((n) => /^state\.json.*\.\d+$/.test(n))).toEqual([]);
    expect(readdirSync(stateDir)).toContain('state.json');
  });
});
