import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allFiles, copyExample, project, readJson } from './helpers.js';
import { rosterInProcess as roster } from './support/roster-in-process.js';

// Adopting what already exists: `roster export` writes manifests for every object a system has,
// `roster plan` on them shows only imports, `roster apply` adopts them (no write), and then
// nothing changes. `roster import ADDR ID` adopts one object by id.

/** The documents of a YAML stream as `{kind, provider}` (export writes them in this fixed layout). */
function documents(text: string): Array<{ kind: string; provider: string }> {
  return text
    .split(/^---$/m)
    .filter((d) => /^kind: /m.test(d))
    .map((d) => ({
      kind: /^kind: (\S+)$/m.exec(d)?.[1] ?? '',
      provider: /^ {2}provider: (\S+)$/m.exec(d)?.[1] ?? '',
    }));
}

interface PlanJson {
  summary: Record<string, number>;
  changes: Array<{ address: string; action: string; execution: string }>;
  diagnostics: Array<{ severity: string; code: string; message: string }>;
}

interface StateJson {
  serial: number;
  resources: Record<string, { id: string; naturalKey: string; attributes: Record<string, unknown> }>;
}

/** Apply an example on its sandbox (the sandbox operator does the manual steps). */
async function applied(example: string): Promise<string> {
  const dir = copyExample(example);
  const apply = await roster(['apply', '--auto-approve', '--sandbox-operator'], { cwd: dir });
  expect(apply.code, apply.stderr).toBe(0);
  return dir;
}

/**
 * A new project with only the Provider document, on the same sandbox: the first project's
 * `.roster/sandbox/<provider>` copied into it (the simulator persists there).
 */
function sameSandbox(from: string, providerFile: string, provider: string): string {
  const dir = project({ 'provider.yaml': readFileSync(path.join(from, providerFile), 'utf8') });
  mkdirSync(path.join(dir, '.roster', 'sandbox'), { recursive: true });
  cpSync(path.join(from, '.roster', 'sandbox', provider), path.join(dir, '.roster', 'sandbox', provider), {
    recursive: true,
  });
  return dir;
}

/** The JSON plan; `firstRun` before anything is in state (an adoption starts with no state). */
async function planJson(dir: string, firstRun = false): Promise<PlanJson> {
  const plan = await roster(['plan', '--format', 'json', ...(firstRun ? ['--allow-empty-state'] : [])], {
    cwd: dir,
  });
  expect(plan.code, plan.stderr).toBe(0);
  return JSON.parse(plan.stdout) as PlanJson;
}

/** export → plan shows only imports → apply adopts → plan is empty. */
async function roundTrip(
  example: string,
  provider: string,
  expected: Record<string, number>,
  /** What a person does to the exported files before planning (fill in a TODO). */
  edit?: (dir: string) => void,
) {
  const source = await applied(example);
  const dir = sameSandbox(source, 'provider.yaml', provider);
  const exported = await roster(['export', '--provider', provider, '--out', '.'], { cwd: dir });
  expect(exported.code, exported.stderr).toBe(0);
  edit?.(dir);
  const files = readdirSync(dir).filter((f) => f.startsWith(`${provider}-`));
  expect(files.length).toBeGreaterThan(0);
  const byKind: Record<string, number> = {};
  for (const f of files) {
    for (const m of documents(readFileSync(path.join(dir, f), 'utf8'))) {
      expect(m.kind).not.toBe('Provider');
      expect(m.provider).toBe(provider);
      byKind[m.kind] = (byKind[m.kind] ?? 0) + 1;
    }
  }
  expect(byKind).toEqual(expected);
  const total = Object.values(expected).reduce((a, b) => a + b, 0);

  const validate = await roster(['validate'], { cwd: dir });
  expect(validate.code, validate.stderr).toBe(0);
  const plan = await planJson(dir, true);
  expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(plan.changes.map((c) => c.action)).toEqual(Array(total).fill('import'));
  expect(plan.summary.import).toBe(total);

  const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
  expect(apply.code, apply.stderr).toBe(0);
  const after = await roster(['plan', '--detailed-exitcode'], { cwd: dir });
  expect(after.code, after.stdout + after.stderr).toBe(0);
  expect(Object.keys(readJson<StateJson>(path.join(dir, '.roster', 'state.json')).resources)).toHaveLength(
    total,
  );
  return { dir, exported };
}

describe('roster export: export → plan shows only imports → apply → no changes', () => {
  it('Sage Intacct (examples/quickstart): web services users, roles and groups', async () => {
    const { dir, exported } = await roundTrip('quickstart', 'intacct-sandbox', {
      ServiceAccount: 2,
      SecurityLevel: 2,
      Group: 1,
    });
    // The company's own Admin (a standard user) and the system roles are left out, saying why.
    expect(exported.stderr).toMatch(
      /note: ServiceAccount Admin: not exported: .*standard \(interactive\) user/,
    );
    expect(exported.stderr).toMatch(/note: SecurityLevel ::SYS::Administrator: not exported/);
    const accounts = readFileSync(path.join(dir, 'intacct-sandbox-service-account.yaml'), 'utf8');
    expect(accounts).toContain('name: ws-invoice-portal');
    expect(accounts).toContain('roles: [{ref: ap-sync}]');
    expect(accounts).toContain('groups: [{ref: integrations}]');
    // A second export into the same place refuses to overwrite, unless --force.
    const again = await roster(['export', '--provider', 'intacct-sandbox', '--out', '.'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exist; nothing was written \(--force overwrites\)/);
    const forced = await roster(['export', '--provider', 'intacct-sandbox', '--out', '.', '--force'], {
      cwd: dir,
    });
    expect(forced.code, forced.stderr).toBe(0);
  });

  it('AFAS Profit (examples/afas): token users and groups; app connectors cannot be read', async () => {
    const { exported } = await roundTrip('afas', 'afas-sandbox', { ServiceAccount: 1, Group: 2 }, (dir) => {
      // The token user's app connector is a guarded privilege AFAS cannot report: export leaves a
      // TODO rather than claim "none". Here the person leaves it unmanaged, explicitly.
      const file = path.join(dir, 'afas-sandbox-service-account.yaml');
      const text = readFileSync(file, 'utf8');
      expect(text).toMatch(
        /connector: null # TODO: \{ ref: <metadata.name of its Connector> \}, or delete this line if it has none; the system cannot report it/,
      );
      writeFileSync(
        file,
        `${text.replace(/\n {2}connector: null #.*/, '')}lifecycle:\n  ignoreChanges: [connector]\n`,
      );
    });
    expect(exported.stderr).toMatch(
      /note: Connector: not exported: AFAS Profit has no API that reads Connector/,
    );
  });

  it('Proliance (examples/proliance): integration accounts and security roles from the registers', async () => {
    const { exported } = await roundTrip('proliance', 'proliance', { ServiceAccount: 1, SecurityLevel: 3 });
    // A user account (it can log on) is not an integration account.
    expect(exported.stderr).toMatch(/note: ServiceAccount staff:S-1004: not exported: .*user account/);
  });

  it('Autotask (examples/autotask): what the API cannot read is a TODO the plan refuses, never a guess', async () => {
    const source = await applied('autotask');
    const dir = sameSandbox(source, 'provider.yaml', 'autotask-prod');
    const exported = await roster(['export', '--provider', 'autotask-prod'], { cwd: dir });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/note: SecurityLevel: not exported: Autotask PSA has no API that reads/);
    expect(exported.stdout).toMatch(
      /securityLevel: null # TODO: \{ ref: <metadata.name of its SecurityLevel> \}/,
    );
    expect(exported.stdout).toMatch(/integrationVendor: null # TODO/);
    expect(exported.stdout).toContain('email: alerts@example.com');
    expect(exported.stdout).not.toMatch(/secret|credentials/i);
    writeFileSync(path.join(dir, 'exported.yaml'), exported.stdout);
    const plan = await roster(['plan'], { cwd: dir });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(
      /exported\.yaml:\d+:\d+: error\[manifest\.schema\]: spec\.securityLevel must be an object/,
    );
    expect(plan.stderr).toMatch(/spec\.integrationVendor must be a string/);
    expect(existsSync(path.join(dir, '.roster', 'state.json'))).toBe(false);
  });
});

describe('roster export: output', () => {
  it('writes every document to stdout separated by ---, only the kind asked for with --kind', async () => {
    const source = await applied('quickstart');
    const dir = sameSandbox(source, 'provider.yaml', 'intacct-sandbox');
    const all = await roster(['export', '--provider', 'intacct-sandbox'], { cwd: dir });
    expect(all.code, all.stderr).toBe(0);
    expect(documents(all.stdout)).toHaveLength(5);
    expect(all.stdout.match(/^---$/gm)).toHaveLength(4);
    const one = await roster(['export', '--provider', 'intacct-sandbox', '--kind', 'ServiceAccount'], {
      cwd: dir,
    });
    expect(one.code, one.stderr).toBe(0);
    const docs = documents(one.stdout);
    expect(docs.map((d) => d.kind)).toEqual(['ServiceAccount', 'ServiceAccount']);
    expect(one.stdout).toContain('roles: [{ref: ap-sync}]');
    expect(one.stderr).not.toMatch(/SecurityLevel/);
    // Nothing was written anywhere: export reads only.
    expect(allFiles(dir).filter((f) => f.endsWith('.yaml'))).toEqual([path.join(dir, 'provider.yaml')]);
  });

  it('names unknown providers and kinds with what exists', async () => {
    const dir = copyExample('quickstart');
    const provider = await roster(['export', '--provider', 'intacct-sandbx'], { cwd: dir });
    expect(provider.code).toBe(1);
    expect(provider.stderr).toMatch(
      /error: no Provider document named intacct-sandbx in the manifests \(did you mean intacct-sandbox\?\)/,
    );
    const kind = await roster(['export', '--provider', 'intacct-sandbox', '--kind', 'User'], { cwd: dir });
    expect(kind.code).toBe(1);
    expect(kind.stderr).toMatch(/has no kind User.*its kinds: ServiceAccount, SecurityLevel, Group/);
    expect(`${provider.stderr}${kind.stderr}`).not.toMatch(/\n\s+at /);
  });
});

describe('roster import ADDR ID', () => {
  const ACCOUNT = 'intacct-sandbox/ServiceAccount/invoice-portal';

  it('adopts one object by id; the plan then has no import for it; refuses what is already managed', async () => {
    const source = await applied('quickstart');
    const keyOf = (address: string) =>
      readJson<StateJson>(path.join(source, '.roster', 'state.json')).resources[address]!.id;
    const dir = copyExample('quickstart');
    mkdirSync(path.join(dir, '.roster', 'sandbox'), { recursive: true });
    cpSync(
      path.join(source, '.roster', 'sandbox', 'intacct-sandbox'),
      path.join(dir, '.roster', 'sandbox', 'intacct-sandbox'),
      {
        recursive: true,
      },
    );
    const before = await planJson(dir, true);
    expect(before.changes.find((c) => c.address === ACCOUNT)?.action).toBe('import');

    // The object with that id is another account than the manifest declares.
    const wrong = await roster(['import', ACCOUNT, keyOf('intacct-sandbox/ServiceAccount/bi-export')], {
      cwd: dir,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /error: ServiceAccount \S+ is WS_BI_EXPORT in the system, but intacct-sandbox\/ServiceAccount\/invoice-portal declares WS_INVOICE_PORTAL/,
    );

    const imported = await roster(['import', ACCOUNT, keyOf(ACCOUNT)], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(
      `Imported ${ACCOUNT}: ServiceAccount WS_INVOICE_PORTAL (id ${keyOf(ACCOUNT)})`,
    );
    expect(imported.stderr).toContain('roster plan');
    expect(imported.stdout).toBe('');
    const state = readJson<StateJson>(path.join(dir, '.roster', 'state.json'));
    expect(state.resources[ACCOUNT]).toMatchObject({
      id: keyOf(ACCOUNT),
      naturalKey: 'WS_INVOICE_PORTAL',
      attributes: { id: 'WS_INVOICE_PORTAL', roles: [{ ref: 'AP Sync' }], adminPrivileges: 'off' },
    });
    expect(existsSync(path.join(dir, '.roster', 'state.lock'))).toBe(false);

    const after = await planJson(dir);
    expect(after.changes.map((c) => c.address)).not.toContain(ACCOUNT);
    expect(after.changes.map((c) => c.action)).toEqual(['import', 'import', 'import', 'import']);

    // Already in state: forget it first.
    const twice = await roster(['import', ACCOUNT, keyOf(ACCOUNT)], { cwd: dir });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(
      /is already in state .*roster state rm intacct-sandbox\/ServiceAccount\/invoice-portal/,
    );
    // Another resource already holds that id.
    const other = await roster(['import', 'intacct-sandbox/ServiceAccount/bi-export', keyOf(ACCOUNT)], {
      cwd: dir,
    });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/is already managed as intacct-sandbox\/ServiceAccount\/invoice-portal/);
    // Unknown address: close matches named.
    const typo = await roster(['import', 'intacct-sandbox/ServiceAccount/invoice-portl', '1'], { cwd: dir });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(
      /error: no resource intacct-sandbox\/ServiceAccount\/invoice-portl in the manifests; did you mean intacct-sandbox\/ServiceAccount\/invoice-portal\?/,
    );
    const missing = await roster(['import', 'intacct-sandbox/ServiceAccount/bi-export', '999999'], {
      cwd: dir,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/error: intacct-sandbox has no ServiceAccount with id 999999/);
    expect(`${twice.stderr}${other.stderr}${typo.stderr}${missing.stderr}`).not.toMatch(/\n\s+at /);
    expect(readJson<StateJson>(path.join(dir, '.roster', 'state.json')).serial).toBe(state.serial);

    // The rest is adopted by apply; then nothing changes.
    const apply = await roster(['apply', '--auto-approve'], { cwd: dir });
    expect(apply.code, apply.stderr).toBe(0);
    expect((await roster(['plan', '--detailed-exitcode'], { cwd: dir })).code).toBe(0);
  });

  it('refuses a kind the system cannot read: a person confirms those', async () => {
    const dir = copyExample('afas');
    const res = await roster(['import', 'afas-sandbox/Connector/invoice-portal', 'x'], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/cannot read Connector objects, so there is nothing to import by id/);
  });
});
