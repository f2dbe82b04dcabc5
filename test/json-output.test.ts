import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputValidator, schemaErrors } from '../packages/core/src/render/output-schemas.testing.js';
import { cliEnv, copyExample, type RunResult, roster, rosterBin } from './helpers.js';

// `--format json` of every command that prints data, run on the applied quickstart: stdout is one
// document that its schema under schemas/ accepts (closed objects: no field the schema lacks).
// Errors under --format json leave stdout empty and say what is wrong on stderr, as text.

const ACCOUNT = 'intacct-sandbox/ServiceAccount/invoice-portal';

/** The document on stdout, checked against `schemas/<schema>.schema.json`. */
function documentOf<T = Record<string, unknown>>(r: RunResult, schema: string): T {
  const doc = JSON.parse(r.stdout) as unknown;
  const validate = outputValidator(schema);
  expect(validate(doc), schemaErrors(validate)).toBe(true);
  return doc as T;
}

describe('--format json on the applied quickstart', () => {
  let dir: string;
  beforeAll(async () => {
    dir = copyExample('quickstart');
    const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.code, apply.stderr).toBe(0);
  }, 120_000);

  it('validate, providers, version, test: one document each, as their schemas describe', async () => {
    const validate = await roster(['validate', '--format', 'json'], { cwd: dir });
    expect(validate.code, validate.stderr).toBe(0);
    expect(documentOf(validate, 'validate')).toEqual({
      valid: true,
      files: ['access.yaml', 'provider.yaml', 'service-accounts.yaml'],
      providers: ['intacct-sandbox'],
      resources: expect.arrayContaining([ACCOUNT]),
      counts: { errors: 0, warnings: 0, info: 0 },
      diagnostics: [],
    });

    const providers = await roster(['providers', '--format', 'json'], { cwd: dir });
    expect(providers.code).toBe(0);
    const types = documentOf<Array<{ type: string }>>(providers, 'providers').map((p) => p.type);
    expect(types).toEqual(['intacct', 'autotask', 'afas', 'getint', 'proliance', 'scim']);

    const version = await roster(['version', '--format', 'json'], { cwd: dir });
    expect(documentOf(version, 'version')).toMatchObject({ node: process.version });

    const test = await roster(['test', '--format', 'json'], { cwd: dir });
    expect(test.code, test.stderr).toBe(0);
    expect(documentOf<Array<{ status: string }>>(test, 'test').map((r) => r.status)).toEqual([
      'pass',
      'pass',
    ]);
  });

  it('plan and show: the plan, as schemas/plan.schema.json describes', async () => {
    const plan = await roster(['plan', '--format', 'json', '--out', 'plan.json'], { cwd: dir });
    expect(plan.code, plan.stderr).toBe(0);
    expect(documentOf(plan, 'plan')).toMatchObject({ mode: 'normal', changes: [] });
    const show = await roster(['show', 'plan.json', '--format', 'json'], { cwd: dir });
    expect(show.code, show.stderr).toBe(0);
    expect(documentOf(show, 'plan')).toMatchObject({ mode: 'normal', changes: [] });
  });

  it('sandbox serve: one line once it listens, without the console secret', async () => {
    const child = spawn(
      process.execPath,
      [rosterBin, 'sandbox', 'serve', '--provider', 'intacct-sandbox', '--format', 'json'],
      { cwd: dir, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let consoleLine: () => void = () => {};
    const consoleLinePrinted = new Promise<void>((resolve) => {
      consoleLine = resolve;
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
      if (/x-roster-sandbox-token: .*\n/.test(stderr)) consoleLine();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const line = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (d) => {
        stdout += String(d);
        if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
      });
      void exited.then((code) => reject(new Error(`sandbox serve exited with ${code}: ${stderr}`)));
    });
    try {
      const doc = documentOf<{ url: string; consoleTokenFile: string }>(
        { code: 0, stdout: line, stderr },
        'sandbox-serve',
      );
      expect(doc).toMatchObject({
        provider: 'intacct-sandbox',
        type: 'intacct',
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      });
      const token = readFileSync(doc.consoleTokenFile, 'utf8').trim();
      expect(token).not.toBe('');
      expect(line).not.toContain(token);
      await consoleLinePrinted;
      expect(stderr).toContain(token);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('state list and show, workspace list and show', async () => {
    const list = await roster(['state', 'list', 'intacct-sandbox/ServiceAccount', '--format', 'json'], {
      cwd: dir,
    });
    expect(list.code, list.stderr).toBe(0);
    expect(documentOf(list, 'state-list')).toEqual({
      lineage: expect.any(String),
      // The apply, then `roster test` recording the sign-ins.
      serial: 2,
      addresses: ['intacct-sandbox/ServiceAccount/bi-export', ACCOUNT],
    });

    const show = await roster(['state', 'show', ACCOUNT, '--format', 'json'], { cwd: dir });
    expect(show.code, show.stderr).toBe(0);
    expect(documentOf(show, 'state-show')).toMatchObject({
      address: ACCOUNT,
      kind: 'ServiceAccount',
      naturalKey: 'WS_INVOICE_PORTAL',
      provenance: { adminPrivileges: 'verified' },
      lastSignInAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // Its only format: the same document without the option.
    expect((await roster(['state', 'show', ACCOUNT], { cwd: dir })).stdout).toBe(show.stdout);

    const workspaces = await roster(['workspace', 'list', '--format', 'json'], { cwd: dir });
    expect(workspaces.code, workspaces.stderr).toBe(0);
    expect(documentOf(workspaces, 'workspace-list')).toEqual({
      current: 'default',
      currentExists: true,
      workspaces: ['default'],
    });
    // A selected workspace that does not exist: the document says so, and the exit code.
    const missing = await roster(['workspace', 'list', '--workspace', 'nope', '--format', 'json'], {
      cwd: dir,
    });
    expect(missing.code).toBe(1);
    expect(documentOf(missing, 'workspace-list')).toEqual({
      current: 'nope',
      currentExists: false,
      workspaces: ['default'],
    });
    expect(missing.stderr).toContain('error: the selected workspace nope does not exist');
    const current = await roster(['workspace', 'show', '--format', 'json'], { cwd: dir });
    expect(documentOf(current, 'workspace-show')).toEqual({ workspace: 'default' });
  });

  it('fmt --check lists the files to format; export --out and import say what they wrote and adopted', async () => {
    const fmtDir = copyExample('quickstart');
    writeFileSync(
      path.join(fmtDir, 'messy.yaml'),
      'kind: Group\napiVersion: roster/v1\nmetadata: {name: g, provider: intacct-sandbox}\nspec: {id: G, name: G}\n',
    );
    const fmt = await roster(['fmt', '--check', '--format', 'json'], { cwd: fmtDir });
    expect(fmt.code).toBe(2);
    expect(documentOf(fmt, 'fmt')).toEqual({
      check: true,
      checked: 4,
      changed: ['messy.yaml'],
      diagnostics: [],
    });

    const exported = await roster(
      [
        'export',
        '--provider',
        'intacct-sandbox',
        '--kind',
        'ServiceAccount',
        '--out',
        'exported',
        '--format',
        'json',
      ],
      { cwd: dir },
    );
    expect(exported.code, exported.stderr).toBe(0);
    const written = documentOf<{ files: unknown[]; manifests: Array<{ naturalKey: string }> }>(
      exported,
      'export',
    );
    expect(written.files).toEqual([
      {
        path: path.join('exported', 'intacct-sandbox-service-account.yaml'),
        kind: 'ServiceAccount',
        count: 2,
      },
    ]);
    expect(written.manifests.map((m) => m.naturalKey).sort()).toEqual(['WS_BI_EXPORT', 'WS_INVOICE_PORTAL']);

    const { id } = JSON.parse((await roster(['state', 'show', ACCOUNT], { cwd: dir })).stdout) as {
      id: string;
    };
    expect((await roster(['state', 'rm', ACCOUNT], { cwd: dir })).code).toBe(0);
    const imported = await roster(['import', ACCOUNT, id, '--format', 'json'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    expect(documentOf(imported, 'import')).toEqual({
      address: ACCOUNT,
      kind: 'ServiceAccount',
      id,
      naturalKey: 'WS_INVOICE_PORTAL',
      differing: [],
      unverifiable: expect.any(Array),
    });
    expect(imported.stderr).toContain(`Imported ${ACCOUNT}`);
  });

  it('an error leaves stdout empty and says why on stderr; a failed validate is still a document', async () => {
    const unknown = await roster(
      ['state', 'show', 'intacct-sandbox/ServiceAccount/nope', '--format', 'json'],
      {
        cwd: dir,
      },
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^error: /);

    const noOut = await roster(['export', '--provider', 'intacct-sandbox', '--format', 'json'], { cwd: dir });
    expect(noOut).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error: --format json describes the files written: add --out DIR (without --out, the manifests go to stdout as YAML)\n',
    });

    const broken = copyExample('quickstart');
    writeFileSync(
      path.join(broken, 'typo.yaml'),
      'apiVersion: roster/v1\nkind: Group\nmetadata: {name: g, provider: intacct-sandbox}\nspec: {id: G, nmae: G}\n',
    );
    const invalid = await roster(['validate', '--format', 'json'], { cwd: broken });
    expect(invalid.code).toBe(1);
    const doc = documentOf<{
      valid: boolean;
      counts: { errors: number };
      diagnostics: Array<{ file: string; code: string }>;
    }>(invalid, 'validate');
    expect(doc.valid).toBe(false);
    expect(doc.counts.errors).toBeGreaterThan(0);
    expect(doc.diagnostics[0]).toMatchObject({ file: 'typo.yaml' });
    // The same diagnostics on stderr, as text with file:line:column.
    expect(invalid.stderr).toMatch(/^typo\.yaml:\d+:\d+: error\[/m);
  });
});
