import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, roster } from './helpers.js';

const cliVersion = (
  JSON.parse(readFileSync(path.join(repoRoot, 'packages/cli/package.json'), 'utf8')) as { version: string }
).version;
const providerVersion = (dir: string) =>
  (
    JSON.parse(readFileSync(path.join(repoRoot, 'packages', dir, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

describe('roster version', () => {
  it('prints roster, Node and every built-in provider with its version; --version prints the same', async () => {
    const r = await roster(['version'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([`roster ${cliVersion}`, `node ${process.version}`, 'providers:']);
    const providers = await roster(['providers', '--format', 'json'], { cwd: repoRoot });
    const types = (JSON.parse(providers.stdout) as { type: string }[]).map((p) => p.type);
    expect(lines.slice(3).map((l) => l.trim().split(/\s+/)[0])).toEqual(types);
    for (const [i, type] of types.entries())
      expect(lines[3 + i]).toContain(` ${providerVersion(`provider-${type}`)}  (`);
    const flag = await roster(['--version'], { cwd: repoRoot });
    expect(flag).toEqual({ code: 0, stdout: r.stdout, stderr: '' });
  });

  it('--format json: roster, node and providers, as schemas/version.schema.json describes', async () => {
    const r = await roster(['version', '--format', 'json'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      roster: string;
      node: string;
      providers: { type: string; package: string; version: string }[];
    };
    expect(Object.keys(doc)).toEqual(['roster', 'node', 'providers']);
    expect(doc.roster).toBe(cliVersion);
    expect(doc.node).toBe(process.version);
    expect(doc.providers.map((p) => p.package)).toEqual(
      ['intacct', 'autotask', 'afas', 'getint', 'proliance', 'scim'].map((t) => `@roster/provider-${t}`),
    );
    for (const p of doc.providers)
      expect(p.version).toBe(providerVersion(p.package.slice('@roster/'.length)));
  });
});
