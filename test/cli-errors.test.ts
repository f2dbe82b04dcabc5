import { describe, expect, it } from 'vitest';
import { project, roster } from './helpers.js';

const provider = `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec: { type: intacct, endpoint: sandbox, companyId: demo-co }
`;

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('bad input: one clear line per problem, exit 1, no stack trace', () => {
  it('reports every manifest error at once with file:line:column', async () => {
    const dir = project({
      'p.yaml': provider,
      'bad.yaml': `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: a, provider: books }
spec:
  id: WS_A
  email: a@example.com
  contact: { firstName: A, lastName: B, email: a@example.com }
  userType: robot
  colour: blue
---
apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: b, provider: bookz }
spec: { id: WS_B }
`,
      'broken.yaml': 'apiVersion: roster/v1\nkind: [unclosed\n',
    });
    const r = await roster(['plan'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines.some((l) => /^bad\.yaml:8:13: error\[.*\]: .*userType.*business/.test(l))).toBe(true);
    expect(lines.some((l) => /^bad\.yaml:9:3: error\[.*\]: .*colour/.test(l))).toBe(true);
    expect(lines.some((l) => /^bad\.yaml:13:\d+: error\[.*\]: .*bookz.*books/.test(l))).toBe(true);
    expect(lines.some((l) => /^broken\.yaml:\d+:\d+: error\[/.test(l))).toBe(true);
    noStack(r.stderr);
  });

  it("names an unknown kind at its line, with the nearest kind and what the document's provider has", async () => {
    const dir = project({
      'p.yaml': provider,
      'k.yaml':
        'apiVersion: roster/v1\nkind: ServiceAcount\nmetadata: { name: a, provider: books }\nspec: {}\n',
    });
    const r = await roster(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toContain(
      'k.yaml:2:7: error[manifest.kind]: unknown kind ServiceAcount (did you mean ServiceAccount?); provider books (type intacct) has: Group, SecurityLevel, ServiceAccount',
    );
    noStack(r.stderr);
  });

  it('prints the JSON plan with its diagnostics when planning fails', async () => {
    const dir = project({
      'p.yaml': provider,
      'u.yaml':
        'apiVersion: roster/v1\nkind: ServiceAccount\nmetadata: { name: a, provider: books }\nspec: { id: 42 }\n',
    });
    const r = await roster(['plan', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const plan = JSON.parse(r.stdout) as {
      diagnostics: Array<{ file: string; line: number; severity: string }>;
      changes: unknown[];
    };
    expect(plan.changes).toEqual([]);
    expect(plan.diagnostics.length).toBeGreaterThan(0);
    expect(plan.diagnostics[0]).toMatchObject({ file: 'u.yaml', severity: 'error' });
  });

  it('refuses a literal secret and an env reference outside a credentials block', async () => {
    const dir = project({
      'p.yaml': `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec:
  type: intacct
  endpoint: sandbox
  companyId: \${env:COMPANY}
  credentials: { clientId: abc123, clientSecret: \${env:X_SECRET}, userId: \${env:X_USER} }
`,
    });
    const r = await roster(['validate'], {
      cwd: dir,
      env: { COMPANY: 'demo', X_SECRET: 'hunter2-value', X_USER: 'u' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/p\.yaml:7:\d+: error\[.*\]: .*only allowed inside a credentials block/);
    expect(r.stderr).toMatch(/p\.yaml:8:\d+: error\[.*\]: .*literal secret/);
    expect(r.stderr).not.toContain('hunter2-value');
    expect(r.stderr).not.toContain('abc123');
  });

  it('names an unknown flag, and exits 1', async () => {
    const dir = project({ 'p.yaml': provider });
    const r = await roster(['plan', '--frobnicate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
  });

  it('needs --auto-approve without a terminal, and changes nothing', async () => {
    const dir = project({
      'p.yaml': provider,
      'r.yaml':
        'apiVersion: roster/v1\nkind: Group\nmetadata: { name: g, provider: books }\nspec: { name: G, description: d }\n',
    });
    const r = await roster(['apply'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--auto-approve');
    // Nothing was written, not even state: plan refuses to guess, and with the flag still plans a create.
    const refused = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error[state.missing]');
    expect((await roster(['plan', '--detailed-exitcode', '--allow-empty-state'], { cwd: dir })).code).toBe(2);
  });

  it('reports a missing -f path clearly', async () => {
    const dir = project({ 'p.yaml': provider });
    const r = await roster(['validate', '-f', 'nope'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope/);
    noStack(r.stderr);
  });

  it('has --help with an example on every command', async () => {
    const dir = project({});
    for (const cmd of [
      [],
      ['validate'],
      ['plan'],
      ['apply'],
      ['drift'],
      ['state'],
      ['force-unlock'],
      ['providers'],
      ['sandbox', 'serve'],
      ['workspace'],
    ]) {
      const r = await roster([...cmd, '--help'], { cwd: dir });
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout, cmd.join(' ')).toContain('Example');
    }
  });
});
