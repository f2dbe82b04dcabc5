import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findManifestFiles } from './find-files.js';
import { lines, tree } from './fixtures.testing.js';

describe('findManifestFiles', () => {
  it('collects *.yaml and *.yml recursively, sorted, skipping dot directories and node_modules', async () => {
    const cwd = tree({
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
    const r = await findManifestFiles(['.'], cwd);
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => f.display)).toEqual(['a.yml', 'b.yaml', 'sub/deeper/a.YAML', 'sub/z.yaml']);
    expect(r.files[0]?.path).toBe(path.join(cwd, 'a.yml'));
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
        "empty: warning[manifest.path]: no manifest files (*.yaml, *.yml) in this directory",
        "nope: error[manifest.path]: no such file or directory (give -f a manifest file or a directory of them)",
      ]
    `);
  });
});
