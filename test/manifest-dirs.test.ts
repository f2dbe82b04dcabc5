/**
 * `-f DIR` reads that directory's own manifests; `-R` descends (like kubectl). A repository root
 * full of other YAML (a lockfile, CI workflows, other teams' directories) is not read by accident.
 */
import { describe, expect, it } from 'vitest';
import { project } from './helpers.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

const provider = `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec: { type: intacct, endpoint: sandbox, companyId: demo-co }
`;

const account = (name: string, id: string) => `apiVersion: roster/v1
kind: ServiceAccount
metadata: { name: ${name}, provider: books }
spec:
  id: ${id}
  email: ${name}@example.com
  contact: { firstName: A, lastName: B, email: ${name}@example.com }
`;

describe('-f DIR and -R', () => {
  const dir = project({
    'provider.yaml': provider,
    'top.yaml': account('top', 'WS_TOP'),
    'team/nested.yaml': account('nested', 'WS_NESTED'),
    'vendor/pnpm-lock.yaml': 'lockfileVersion: "9.0"\nimporters: {}\n',
  });

  it("reads only the directory's own files by default, on every command that takes -f", async () => {
    const v = await roster(['validate', '-f', '.'], { cwd: dir });
    expect(v.stderr).toBe('');
    expect(v.stdout).toContain('2 files, 1 provider, 1 resource.');
    expect(v.code).toBe(0);
    const p = await roster(['plan', '--allow-empty-state', '--format', 'json'], { cwd: dir });
    expect(p.code).toBe(0);
    const plan = JSON.parse(p.stdout) as { changes: { address: string }[]; sources: string[] };
    expect(plan.changes.map((c) => c.address)).toEqual(['books/ServiceAccount/top']);
    expect(plan.sources).toEqual(['provider.yaml', 'top.yaml']);
  });

  it('reads the subdirectories with -R / --recursive (and reports the YAML that is no manifest)', async () => {
    for (const flag of ['-R', '--recursive']) {
      const r = await roster(['validate', '-f', '.', flag], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^vendor\/pnpm-lock\.yaml:1:1: error\[/m);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
  });

  it('names -R when a directory has manifests only below it', async () => {
    const nested = project({ 'm/provider.yaml': provider, 'm/a/accounts.yaml': account('a', 'WS_A') });
    const flat = await roster(['validate', '-f', 'm'], { cwd: nested });
    expect(flat.stdout).toContain('1 file, 1 provider, 0 resources.');
    const deep = await roster(['validate', '-f', 'm', '-R'], { cwd: nested });
    expect(deep.code).toBe(0);
    expect(deep.stdout).toContain('2 files, 1 provider, 1 resource.');
    const empty = await roster(['validate', '-f', 'x'], { cwd: project({ 'x/y/z.yaml': provider }) });
    expect(empty.stderr).toContain(
      'x: warning[manifest.path]: no manifest files (*.yaml, *.yml) in this directory (-R reads its subdirectories too)',
    );
  });

  it('takes -R on the workspace commands too (they read the project for its Backend document)', async () => {
    const ws = project({
      'provider.yaml': provider,
      'sub/backend.yaml': 'apiVersion: roster/v1\nkind: Backend\n',
    });
    const flat = await roster(['workspace', 'list', '-f', '.'], { cwd: ws });
    expect(flat).toMatchObject({ code: 0, stdout: '* default\n' });
    const deep = await roster(['workspace', 'list', '-f', '.', '-R'], { cwd: ws });
    expect(deep.code).toBe(1);
    expect(deep.stderr).toMatch(/^sub\/backend\.yaml:\d+:\d+: error\[/m);
  });
});
