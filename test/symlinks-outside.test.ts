import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, roster } from './helpers.js';

// Stands in for /etc/shadow: lines a YAML parser reads as keys, each with a marker that must never
// be printed. (The attack linked the real /etc/shadow and got its lines back in 24 errors.)
const SHADOW = [
  'root:$6$MARKER-ROOT-HASH-8c1f$aaaaaaaaaaaaaaaaaaaaaaa:19700:0:99999:7::: 1',
  'daemon:*:MARKER-DAEMON-LINE-3b7e:0:99999:7:::',
  'operator: MARKER-OPERATOR-VALUE-5d2a',
  'This is a whole line of some configuration file, MARKER-CONFIG-LINE-0e9b, written as a key: 1',
  'apiVersion: roster/v1',
  'kind: ServiceAccount',
  '',
].join('\n');
const MARKERS = ['MARKER-ROOT', 'MARKER-DAEMON', 'MARKER-OPERATOR', 'MARKER-CONFIG', '$6$'];

function outsideFile(content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-outside-'));
  const file = path.join(dir, 'shadow');
  writeFileSync(file, content);
  return file;
}

function expectNoMarkers(...texts: string[]): void {
  for (const t of texts) for (const m of MARKERS) expect(t).not.toContain(m);
}

describe('a symbolic link under a -f directory that leads out of it (issue 16, item 6)', () => {
  it('is refused by name, and nothing of its target is read or printed', async () => {
    const dir = copyExample('quickstart');
    symlinkSync(outsideFile(SHADOW), path.join(dir, 'shadow.yaml'));
    for (const cmd of [['validate'], ['plan'], ['plan', '--format', 'json']]) {
      const r = await roster(cmd, { cwd: dir });
      expect(r.code, `${cmd.join(' ')}: ${r.stderr}`).toBe(1);
      expectNoMarkers(r.stdout, r.stderr);
      expect(r.stderr + r.stdout).toContain(
        'symbolic link to a file outside .: roster does not follow links out of a -f directory',
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const v = await roster(['validate'], { cwd: dir });
    expect(v.stderr.trim().split('\n')).toEqual([
      'shadow.yaml: error[manifest.symlink]: symbolic link to a file outside .: roster does not follow links out of a -f directory (copy the file into it, or name it with its own -f)',
    ]);
    // A linked directory out of the project is refused the same way.
    const dir2 = copyExample('quickstart');
    symlinkSync(path.dirname(outsideFile(SHADOW)), path.join(dir2, 'more'));
    const v2 = await roster(['validate', '-f', dir2], { cwd: dir });
    expect(v2.code).toBe(1);
    expect(v2.stderr).toContain(
      `${path.join(dir2, 'more')}: error[manifest.symlink]: symbolic link to a directory outside`,
    );
    expectNoMarkers(v2.stdout, v2.stderr);
  });

  it('a file that is not a manifest, in the project: its lines are not echoed whole in errors', async () => {
    const dir = copyExample('quickstart');
    writeFileSync(path.join(dir, 'notes.yaml'), SHADOW);
    const r = await roster(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('notes.yaml:');
    expect(r.stderr).not.toContain('MARKER-CONFIG-LINE');
    expect(r.stderr).not.toContain('MARKER-ROOT-HASH');
    for (const line of r.stderr.split('\n')) expect(line.length).toBeLessThan(240);
  });

  it('names and references a whole line long are cut in messages too', async () => {
    const dir = copyExample('quickstart');
    const long = 'MARKER-CONFIG-LINE-'.repeat(12);
    writeFileSync(
      path.join(dir, 'odd.yaml'),
      `apiVersion: roster/v1
kind: Group
metadata: { name: g2, provider: ${long} }
spec: { name: G2, description: d }
---
apiVersion: roster/v1
kind: Group
metadata: { name: g3, provider: intacct-sandbox }
spec: { name: G3, description: d, roles: [{ ref: ${long} }] }
`,
    );
    const r = await roster(['validate'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no Provider document named MARKER-CONFIG-LI… (${long.length} characters)`);
    expect(r.stderr).toContain(`no SecurityLevel named MARKER-CONFIG-LI… (${long.length} characters)`);
    expect(r.stderr).not.toContain(long);
  });
});
