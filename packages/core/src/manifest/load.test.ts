import { describe, expect, it } from 'vitest';
import { FAKE_PROVIDER, fake, lines, other, resource, tree } from './fixtures.testing.js';
import { loadManifests } from './load.js';

async function load(
  files: Record<string, string>,
  opts: { paths?: string[]; env?: NodeJS.ProcessEnv; recursive?: boolean } = {},
) {
  const cwd = tree(files);
  const r = await loadManifests({
    paths: opts.paths ?? ['.'],
    cwd,
    ...(opts.recursive ? { recursive: true } : {}),
    providers: [fake, other],
    env: opts.env ?? {},
  });
  return { ...r, cwd, lines: lines(r.diagnostics) };
}

describe('loadManifests', () => {
  it('loads many documents from many files and directories into addressed documents', async () => {
    const r = await load(
      {
        'p.yaml': FAKE_PROVIDER,
        'sub/roles.yaml': `${resource('SecurityLevel', 'base', '{ name: B }')}---\n---\n${resource('SecurityLevel', 'child', '{ name: C, parent: { ref: base } }')}`,
        'sub/deeper/users.yml': `${resource('ServiceAccount', 'u', '{ id: U, email: u@example.com }')}lifecycle: { preventDestroy: true }\n`,
        '.roster/ignored.yaml': 'not: a manifest',
      },
      { recursive: true },
    );
    expect(r.lines).toEqual([]);
    expect(r.files).toEqual(['p.yaml', 'sub/deeper/users.yml', 'sub/roles.yaml']);
    expect(r.documents.map((d) => d.address)).toEqual([
      'Provider/f',
      'f/ServiceAccount/u',
      'f/SecurityLevel/base',
      'f/SecurityLevel/child',
    ]);
    const u = r.documents[1]!;
    expect(u).toMatchObject({
      apiVersion: 'roster/v1',
      kind: 'ServiceAccount',
      name: 'u',
      provider: 'f',
      labels: {},
      lifecycle: { preventDestroy: true },
      spec: { id: 'U', email: 'u@example.com' },
    });
    expect(u.source).toMatchObject({ file: 'sub/deeper/users.yml', index: 0, start: { line: 1, column: 1 } });
    expect(u.source.positionOf('/spec/email')).toEqual({ file: 'sub/deeper/users.yml', line: 4, column: 23 });
    expect(r.documents[0]!.lifecycle).toEqual({});
  });

  it('skips an access review file among the manifests', async () => {
    const r = await load(
      {
        'p.yaml': FAKE_PROVIDER,
        'reviews/2026-Q4.yaml':
          'apiVersion: roster/v1\nkind: AccessReview\nmetadata: { name: 2026-Q4 }\nspec: {}\n',
      },
      { recursive: true },
    );
    expect(r.lines).toEqual([]);
    expect(r.documents.map((d) => d.address)).toEqual(['Provider/f']);
  });

  it('names files relative to the working directory, as given', async () => {
    const cwd = tree({ 'proj/p.yaml': FAKE_PROVIDER, 'proj/bad.yaml': 'kind: Nope\n' });
    const r = await loadManifests({ paths: ['proj'], cwd, providers: [fake], env: {} });
    expect(r.files).toEqual(['proj/bad.yaml', 'proj/p.yaml']);
    expect(lines(r.diagnostics)[0]).toMatch(/^proj\/bad\.yaml:1:1: /);
  });

  it('reports every envelope error at once, each at its file:line:column', async () => {
    const r = await load({
      'e.yaml': [
        'apiVersion: roster/v2',
        'kind: Widget',
        'metadata:',
        '  name: Bad_Name',
        '  labels: { owner: 7 }',
        '  colour: blue',
        'spec: []',
        'extra: 1',
        '---',
        'apiVersion: roster/v1',
        'kind: Group',
        'metadata: { name: g }',
        'spec: { name: G }',
        'lifecycle: { onRemove: shred, keep: true }',
        '---',
        'apiVersion: roster/v1',
        'kind: Provider',
        'metadata: { name: p, provider: q }',
        'spec: { endpoint: x }',
        'lifecycle: {}',
        '---',
        'apiVersion: roster/v1',
        'kind: Backend',
        'metadata: { name: later, provider: f }',
        'spec: {}',
        '',
      ].join('\n'),
      'p.yaml': FAKE_PROVIDER,
    });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "e.yaml:1:13: error[manifest.schema]: apiVersion must be roster/v1",
        "e.yaml:2:7: error[manifest.kind]: unknown kind Widget; kinds: Provider, Policy, Backend, and those of the provider types: SecurityLevel, Group, ServiceAccount, Connector",
        "e.yaml:4:9: error[manifest.schema]: metadata.name must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
        "e.yaml:5:20: error[manifest.schema]: metadata.labels.owner must be a string",
        "e.yaml:6:3: error[manifest.schema]: unknown field metadata.colour",
        "e.yaml:7:7: error[manifest.schema]: spec must be an object",
        "e.yaml:8:1: error[manifest.schema]: unknown field extra",
        "e.yaml:12:1: error[manifest.schema]: missing required field metadata.provider",
        "e.yaml:14:24: error[manifest.schema]: lifecycle.onRemove must be one of: delete, deactivate",
        "e.yaml:14:31: error[manifest.schema]: unknown field lifecycle.keep",
        "e.yaml:18:22: error[manifest.schema]: metadata.provider is not allowed here",
        "e.yaml:19:1: error[manifest.schema]: missing required field spec.type",
        "e.yaml:20:1: error[manifest.schema]: lifecycle is not allowed here",
        "e.yaml:24:26: error[manifest.schema]: metadata.provider is not allowed here",
        "e.yaml:25:1: error[manifest.schema]: missing required field spec.type",
      ]
    `);
  });

  it('validates a Provider spec against its type, and suggests a type', async () => {
    const r = await load({
      'p.yaml': [
        'apiVersion: roster/v1',
        'kind: Provider',
        'metadata: { name: a }',
        'spec: { type: fkae }',
        '---',
        'apiVersion: roster/v1',
        'kind: Provider',
        'metadata: { name: b }',
        'spec:',
        '  type: fake',
        '  endpint: x',
        '  credentials: { token: ${env:T}, rotate: 3 }',
        '',
      ].join('\n'),
      'u.yaml': resource('Group', 'g', '{ name: G }', 'a'),
    });
    // The resource of the Provider with an unknown type is not reported again. The unset T is no
    // error at load: a Provider's credentials are resolved by the command that signs in with them.
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "p.yaml:4:15: error[manifest.provider-type]: unknown provider type fkae (did you mean fake?); known types: fake, other",
        "p.yaml:11:3: error[manifest.schema]: unknown field spec.endpint (did you mean endpoint?)",
        "p.yaml:12:35: error[manifest.schema]: unknown field spec.credentials.rotate",
      ]
    `);
  });

  it('validates each resource against its provider and kind, with suggestions and human messages', async () => {
    const r = await load({
      'p.yaml': FAKE_PROVIDER,
      'u.yaml': [
        'apiVersion: roster/v1',
        'kind: ServiceAccount',
        'metadata: { name: a, provider: f }',
        'spec:',
        '  id: 42',
        '  email: not-an-email',
        '  userType: robot',
        '  roles: [{ ref: x, typo: 1 }, {}]',
        '  emial: a@example.com',
        '  endpoint: ftp://x',
        '  contact: { email: c@example.com, nmae: C }',
        '---',
        'apiVersion: roster/v1',
        'kind: ServiceAccount',
        'metadata: { name: b, provider: g }',
        'spec: { id: B }',
        '---',
        'apiVersion: roster/v1',
        'kind: Connector',
        'metadata: { name: c, provider: f }',
        'spec: {}',
        '---',
        'apiVersion: roster/v1',
        'kind: ServiceAccount',
        'metadata: { name: d, provider: f }',
        'spec: {}',
        'lifecycle: { onRemove: delete }',
        '',
      ].join('\n'),
    });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "u.yaml:5:7: error[manifest.schema]: spec.id must be a string",
        "u.yaml:6:10: error[manifest.schema]: spec.email must be a valid email",
        "u.yaml:7:13: error[manifest.schema]: spec.userType must be one of: business, employee, viewOnly",
        "u.yaml:8:21: error[manifest.schema]: unknown field spec.roles[0].typo",
        "u.yaml:8:32: error[manifest.schema]: missing required field spec.roles[1].ref",
        "u.yaml:9:3: error[manifest.schema]: unknown field spec.emial (did you mean email?)",
        "u.yaml:10:13: error[manifest.schema]: spec.endpoint must be one of: sandbox; a string matching ^https://",
        "u.yaml:11:36: error[manifest.schema]: unknown field spec.contact.nmae (did you mean name?)",
        "u.yaml:15:32: error[manifest.provider]: no Provider document named g (did you mean f?); declare one with kind: Provider (declared: f)",
        "u.yaml:19:7: error[manifest.kind]: provider f (type fake) has no kind Connector; it supports: Group, SecurityLevel, ServiceAccount",
        "u.yaml:26:1: error[manifest.schema]: missing required field spec.id",
        "u.yaml:26:1: error[manifest.schema]: missing required field spec.email",
        "u.yaml:27:24: error[manifest.lifecycle]: a ServiceAccount of fake cannot be removed by delete; lifecycle.onRemove may be: deactivate",
      ]
    `);
  });

  it('runs the kind’s own checks on a valid spec, at the line their path names', async () => {
    const r = await load({
      'p.yaml': FAKE_PROVIDER,
      'u.yaml': resource(
        'ServiceAccount',
        'a',
        '{ id: A, email: a@example.com, userType: employee, admin: true }',
      ),
    });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "u.yaml:4:65: error[fake.admin]: admin needs userType business",
      ]
    `);
  });

  it('validates a secret as a string, and never shows it', async () => {
    const r = await load(
      {
        'p.yaml': FAKE_PROVIDER,
        'u.yaml': resource(
          'ServiceAccount',
          'a',
          '{ id: A, email: a@example.com, credentials: { secret: ${env:S}, rotateAfterDays: 0 } }',
        ),
      },
      { env: { S: 'zzz-secret-zzz' } },
    );
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "u.yaml:4:88: error[manifest.schema]: spec.credentials.rotateAfterDays must be >= 1",
      ]
    `);
    expect(r.lines.join('\n')).not.toContain('zzz-secret-zzz');
  });

  it('refuses a second document with the same address, naming the first', async () => {
    const r = await load({
      'a.yaml': `${FAKE_PROVIDER}---\n${resource('Group', 'g', '{ name: G }')}`,
      'b.yaml': `# again\n${resource('Group', 'g', '{ name: G2 }')}---\n${FAKE_PROVIDER}`,
    });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "b.yaml:4:19: error[manifest.duplicate]: f/Group/g is declared twice; the first is at a.yaml:8",
        "b.yaml:9:19: error[manifest.duplicate]: Provider/f is declared twice; the first is at a.yaml:3",
      ]
    `);
    expect(r.documents.map((d) => d.address)).toEqual(['Provider/f', 'f/Group/g']);
  });

  it('reports a missing path and still loads the others', async () => {
    const r = await load({ 'p.yaml': FAKE_PROVIDER }, { paths: ['nope.yaml', 'p.yaml'] });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "nope.yaml: error[manifest.path]: no such file or directory (give -f a manifest file or a directory of them)",
      ]
    `);
    expect(r.documents).toHaveLength(1);
  });
});
