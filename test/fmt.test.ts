import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, roster } from './helpers.js';

const messy = [
  '# the integrations group',
  'spec:',
  '    roles:',
  '    # a comment inside a reference keeps it in block style',
  '    -   ref: gl-read   # reporting',
  '    -   ref: ap-sync',
  '    name: Integrations',
  'kind: Group',
  'metadata:',
  '    provider: intacct-sandbox',
  '    name: integrations',
  'apiVersion: roster/v1',
  '',
].join('\n');

const canonical = [
  '# the integrations group',
  'apiVersion: roster/v1',
  'kind: Group',
  'metadata:',
  '  name: integrations',
  '  provider: intacct-sandbox',
  'spec:',
  '  roles:',
  '    # a comment inside a reference keeps it in block style',
  '    - ref: gl-read # reporting',
  '    - { ref: ap-sync }',
  '  name: Integrations',
  '',
].join('\n');

const tidy =
  'apiVersion: roster/v1\nkind: Group\nmetadata: { name: g, provider: p }\nspec: { roles: [a, b] }\n';

describe('roster fmt', () => {
  it('--check lists the files to format and exits 2, writing nothing; fmt rewrites them; then --check exits 0', async () => {
    const lock = 'lockfileVersion:    9.0\nimporters: {}\n';
    const dir = project({ 'group.yaml': messy, 'tidy.yaml': tidy, 'pnpm-lock.yaml': lock });
    const check = await roster(['fmt', '--check'], { cwd: dir });
    expect(check).toEqual({ code: 2, stdout: 'group.yaml\n', stderr: '' });
    expect(readFileSync(path.join(dir, 'group.yaml'), 'utf8')).toBe(messy);

    const fmt = await roster(['fmt'], { cwd: dir });
    expect(fmt).toEqual({ code: 0, stdout: 'group.yaml\n', stderr: '' });
    const written = readFileSync(path.join(dir, 'group.yaml'), 'utf8');
    expect(written).toBe(canonical);
    expect(readFileSync(path.join(dir, 'tidy.yaml'), 'utf8')).toBe(tidy);
    // YAML that is no manifest is not touched.
    expect(readFileSync(path.join(dir, 'pnpm-lock.yaml'), 'utf8')).toBe(lock);

    expect(await roster(['fmt', '--check'], { cwd: dir })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await roster(['fmt'], { cwd: dir })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a file that does not parse is an error at its line (exit 1) and is left as it is; the others are formatted', async () => {
    const broken = 'apiVersion: roster/v1\nkind: Group\nspec: {name: [x\n';
    const dir = project({ 'bad.yaml': broken, 'group.yaml': messy });
    const r = await roster(['fmt', '-f', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad\.yaml:[34]:\d+: error\[manifest\.yaml\]: .*the file is not formatted\n$/);
    expect(readFileSync(path.join(dir, 'bad.yaml'), 'utf8')).toBe(broken);
    expect(readFileSync(path.join(dir, 'group.yaml'), 'utf8')).toBe(canonical);
  });

  it('-R formats subdirectories too; without it they are left alone', async () => {
    const dir = project({ 'team/group.yaml': messy });
    expect((await roster(['fmt', '--check'], { cwd: dir })).code).toBe(0);
    const r = await roster(['fmt', '-R', '--check'], { cwd: dir });
    expect(r).toEqual({ code: 2, stdout: `${path.join('team', 'group.yaml')}\n`, stderr: '' });
  });
});
