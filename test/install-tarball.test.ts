/**
 * What a user installs: the tarball `pnpm pack` makes in packages/cli (after `pnpm build`),
 * installed with `npm install -g` into an empty prefix, offline and with an empty npm cache (the
 * tarball bundles the workspace packages and their dependencies: npm needs no registry), then run
 * from outside the repository. One pack and one install, shared by the cases.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record } from './e2e-record.js';
import { cliEnv, copyExample, type RunResult, repoRoot } from './helpers.js';

const cliDir = path.join(repoRoot, 'packages/cli');
const version = (JSON.parse(readFileSync(path.join(cliDir, 'package.json'), 'utf8')) as { version: string })
  .version;

/** The environment without the variables pnpm passes to the scripts it runs (npm would read them). */
function npmEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^npm_/i.test(k) || k.startsWith('PNPM_')) delete env[k];
  return env;
}

let tmp: string;
let prefix: string;
let installed: string;

/** Run the installed `roster` (its bin link in the prefix) in `cwd`. */
function installedRoster(args: string[], cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(path.join(prefix, 'bin', 'roster'), args, { cwd, env: cliEnv() }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      record({ type: 'run', label: `installed roster ${args.join(' ')}`, cwd, env: {}, stdout, stderr });
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'roster-install-'));
  prefix = path.join(tmp, 'prefix');
  execFileSync('pnpm', ['pack', '--pack-destination', tmp], { cwd: cliDir, env: npmEnv(), stdio: 'pipe' });
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`pnpm pack wrote no tarball into ${tmp}`);
  execFileSync(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--offline',
      '--cache',
      path.join(tmp, 'npm-cache'),
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      path.join(tmp, tarball),
    ],
    { cwd: tmp, env: npmEnv(), stdio: 'pipe' },
  );
  installed = path.join(prefix, 'lib', 'node_modules', '@roster', 'cli');
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('npm install -g of the packed @roster/cli', () => {
  it('installs offline with no dependency and prints its version', async () => {
    // Nothing but the package itself: no @roster/* package to fetch, no third-party one either.
    expect(existsSync(path.join(installed, 'node_modules'))).toBe(false);
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependenciesMeta).toEqual({ pg: { optional: true } });
    expect(existsSync(path.join(installed, 'schemas', 'manifest.schema.json'))).toBe(true);
    expect(existsSync(path.join(installed, 'README.md'))).toBe(true);
    expect(readFileSync(path.join(installed, 'bundle', 'THIRD-PARTY-LICENSES.txt'), 'utf8')).toContain(
      'yaml@',
    );
    const r = await installedRoster(['--version'], tmp);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([`roster ${version}`, `node ${process.version}`]);
  });

  it('validates and plans a copy of examples/quickstart outside the repository (sandbox, first run)', async () => {
    const dir = copyExample('quickstart');
    expect(path.relative(repoRoot, dir).startsWith('..')).toBe(true);
    const v = await installedRoster(['validate'], dir);
    expect(v.stderr).toBe('');
    expect(v.stdout).toBe('The manifests are valid: 3 files, 1 provider, 5 resources.\n');
    expect(v.code).toBe(0);
    // The simulator is loaded on first use from its own chunk of the bundle.
    const p = await installedRoster(['plan', '--allow-empty-state', '--format', 'json'], dir);
    expect(p.code).toBe(0);
    const plan = JSON.parse(p.stdout) as { summary: { create: number }; changes: { address: string }[] };
    expect(plan.summary.create).toBe(5);
    expect(plan.changes.map((c) => c.address)).toContain('intacct-sandbox/ServiceAccount/invoice-portal');
    expect(existsSync(path.join(dir, '.roster', 'sandbox'))).toBe(true);
  });

  it('says how to install pg when a PostgreSQL backend is used without it', async () => {
    const dir = copyExample('quickstart');
    const r = await installedRoster(
      ['state', 'list', '--backend', 'postgres://roster@127.0.0.1:9/none'],
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "error: the PostgreSQL state backend needs the 'pg' package, which is not installed: npm install -g pg@8 (beside a global @roster/cli), or npm install pg@8 beside a local one\n",
    );
  });
});
