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
