import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findManifestFiles } from './find-files.js';
import { lines, tree } from './fixtures.testing.js';

describe('findManifestFiles', () => {
  const nested = () =>
    tree({
      'b.yaml': '',
      'a.yml': '',
      'notes.txt': '',
      'sub/z.yaml': '',
      'sub/deeper/a.YAML': '',
      '.roster/state.yaml': '',
      '.github/workflows/ci.yml': '',
      'node_modules/x/y.yaml': '',
      '.hidden.yaml': '',
    });

  it('with recursive, collects *.yaml and *.yml below, sorted, skipping dot directories and node_modules', async () => {
    const cwd = nested();
    const r = await findManifestFiles(['.'], cwd, { recursive: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => f.display)).toEqual(['a.yml', 'b.yaml', 'sub/deeper/a.YAML', 'sub/z.yaml']);
    expect(r.files[0]?.path).toBe(path.join(cwd, 'a.yml'));
  });

  it("by default reads a directory's own files only, like kubectl -f DIR", async () => {
    const cwd = nested();
    const r = await findManifestFiles(['.'], cwd);
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => f.display)).toEqual(['a.yml', 'b.yaml']);
    // A directory named explicitly is read, even below another one.
    const sub = await findManifestFiles(['.', 'sub'], cwd);
    expect(sub.files.map((f) => f.display)).toEqual(['a.yml', 'b.yaml', 'sub/z.yaml']);
  });

  it('warns about a directory whose manifests are all in subdirectories, and names -R', async () => {
    const cwd = tree({ 'top/nested/m.yaml': '' });
    const r = await findManifestFiles(['top'], cwd);
    expect(r.files).toEqual([]);
    expect(lines(r.diagnostics)).toEqual([
      'top: warning[manifest.path]: no manifest files (*.yaml, *.yml) in this directory (-R reads its subdirectories too)',
    ]);
    const deep = await findManifestFiles(['top'], cwd, { recursive: true });
    expect(deep.files.map((f) => f.display)).toEqual(['top/nested/m.yaml']);
  });

  it('takes a named file whatever its extension, once, and names files as the user typed them', async () => {
    const cwd = tree({ 'm/one.yaml': '', 'm/two.txt': '' });
    const r = await findManifestFiles(['m/two.txt', 'm', './m/one.yaml'], path.join(cwd));
    expect(r.files.map((f) => f.display)).toEqual(['m/two.txt', 'm/one.yaml']);
    const abs = await findManifestFiles([path.join(cwd, 'm')], '/');
    expect(abs.files.map((f) => f.display)).toEqual([path.join(cwd, 'm/one.yaml')]);
  });

  it('reports a missing path without a line, and an empty directory as a warning', async () => {
    const cwd = tree({ 'empty/.keep': '' });
    const r = await findManifestFiles(['nope', 'empty'], cwd);
    expect(lines(r.diagnostics)).toMatchInlineSnapshot(`
      [
        "empty: warning[manifest.path]: no manifest files (*.yaml, *.yml) in this directory (-R reads its subdirectories too)",
        "nope: error[manifest.path]: no such file or directory (give -f a manifest file or a directory of them)",
      ]
    `);
  });
});

describe('findManifestFiles: symbolic links', () => {
  it('refuses a link out of a -f directory by its name, follows links that stay inside, and a path named by -f', async () => {
    const cwd = tree({
      'outside/secret.yaml': 'root:x:0:0:TOP-SECRET-LINE\n',
      'outside/dir/more.yaml': 'kind: Provider\n',
      'proj/real.yaml': '',
      'proj/sub/inner.yaml': '',
    });
    symlinkSync(path.join(cwd, 'outside/secret.yaml'), path.join(cwd, 'proj/shadow.yaml'));
    symlinkSync(path.join(cwd, 'outside/dir'), path.join(cwd, 'proj/linked-dir'));
    symlinkSync(path.join(cwd, 'proj/sub/inner.yaml'), path.join(cwd, 'proj/alias.yaml'));
    symlinkSync('sub', path.join(cwd, 'proj/sub-again'));
    symlinkSync(path.join(cwd, 'outside/secret.yaml'), path.join(cwd, 'proj/notes.txt'));
    const r = await findManifestFiles(['proj'], cwd, { recursive: true });
    expect(lines(r.diagnostics)).toEqual([
      'proj/linked-dir: error[manifest.symlink]: symbolic link to a directory outside proj: roster does not follow links out of a -f directory (copy the file into it, or name it with its own -f)',
      'proj/shadow.yaml: error[manifest.symlink]: symbolic link to a file outside proj: roster does not follow links out of a -f directory (copy the file into it, or name it with its own -f)',
    ]);
    expect(JSON.stringify(r.diagnostics)).not.toContain('TOP-SECRET');
    // `sub` and `sub-again` are one directory, walked once (by real path) under either name.
    const found = r.files.map((f) => f.display);
    expect(found).toHaveLength(3);
    expect(found.slice(0, 2)).toEqual(['proj/alias.yaml', 'proj/real.yaml']);
    expect(found[2]).toMatch(/^proj\/sub(-again)?\/inner\.yaml$/);
    // Named by -f, a link is the user's choice: followed.
    const named = await findManifestFiles(['proj/shadow.yaml'], cwd);
    expect(named.diagnostics).toEqual([]);
    expect(named.files.map((f) => f.display)).toEqual(['proj/shadow.yaml']);
  });
});
