import { describe, expect, it } from 'vitest';
import { FAKE_PROVIDER, fake, lines, other, resource, tree } from './fixtures.testing.js';
import { isReference, resolveReferences } from './graph.js';
import { loadProject } from './load-project.js';
import type { ManifestDocument } from './types.js';

async function project(files: Record<string, string>) {
  const cwd = tree(files);
  const r = await loadProject({ paths: ['.'], cwd, providers: [fake, other], env: {} });
  return { ...r, lines: lines(r.diagnostics) };
}

const OTHER_PROVIDER =
  'apiVersion: roster/v1\nkind: Provider\nmetadata: { name: o }\nspec: { type: other }\n';

describe('resolveReferences through loadProject', () => {
  it('resolves refs by attribute rule, by search over kinds, and by full address; orders dependencies first', async () => {
    const r = await project({
      'p.yaml': `${FAKE_PROVIDER}---\n${OTHER_PROVIDER}`,
      'roles.yaml': `${resource('SecurityLevel', 'child', '{ name: C, parent: { ref: base } }')}---\n${resource('SecurityLevel', 'base', '{ name: B }')}`,
      'groups.yaml': resource('Group', 'ops', '{ name: Ops }'),
      'users.yaml': resource(
        'ServiceAccount',
        'u',
        '{ id: U, email: u@example.com, roles: [{ ref: child }, { ref: base }], group: { ref: ops }, sponsor: { ref: f/SecurityLevel/base } }',
      ),
      'conn.yaml': resource('Connector', 'c', '{ account: { ref: f/ServiceAccount/u, output: key } }', 'o'),
    });
    expect(r.lines).toEqual([]);
    expect(r.providerDocs.map((d) => d.address)).toEqual(['Provider/f', 'Provider/o']);
    expect(r.resources.map((d) => d.address).sort()).toEqual([
      'f/Group/ops',
      'f/SecurityLevel/base',
      'f/SecurityLevel/child',
      'f/ServiceAccount/u',
      'o/Connector/c',
    ]);
    expect(r.graph.order).toEqual([
      'Provider/f',
      'Provider/o',
      'f/Group/ops',
      'f/SecurityLevel/base',
      'f/SecurityLevel/child',
      'f/ServiceAccount/u',
      'o/Connector/c',
    ]);
    expect(r.graph.dependenciesOf('f/ServiceAccount/u')).toEqual([
      'Provider/f',
      'f/SecurityLevel/child',
      'f/SecurityLevel/base',
      'f/Group/ops',
    ]);
    expect(r.graph.dependentsOf('f/SecurityLevel/base')).toEqual([
      'f/SecurityLevel/child',
      'f/ServiceAccount/u',
    ]);
    expect(r.graph.dependentsOf('Provider/o')).toEqual(['o/Connector/c']);
    expect(r.graph.targetOf('f/ServiceAccount/u', '/spec/roles/0')).toBe('f/SecurityLevel/child');
    expect(r.graph.targetOf('f/ServiceAccount/u', '/spec/group/ref')).toBe('f/Group/ops');
    expect(r.graph.targetOf('o/Connector/c', '/spec/account')).toBe('f/ServiceAccount/u');
    expect(r.graph.targetOf('f/ServiceAccount/u', '/spec/id')).toBeUndefined();
  });

  it('reports unknown, ambiguous and wrong-kind targets at the ref, with suggestions', async () => {
    const r = await project({
      'p.yaml': FAKE_PROVIDER,
      'x.yaml': `${resource('SecurityLevel', 'ops', '{ name: Ops }')}---\n${resource('Group', 'ops', '{ name: Ops }')}---\n${resource('Group', 'admins', '{ name: A }')}`,
      'u.yaml': [
        'apiVersion: roster/v1',
        'kind: ServiceAccount',
        'metadata: { name: u, provider: f }',
        'spec:',
        '  id: U',
        '  email: u@example.com',
        '  roles:',
        '    - ref: opz',
        '  group: { ref: f/Group/admin }',
        '  sponsor: { ref: ops }',
        '---',
        'apiVersion: roster/v1',
        'kind: ServiceAccount',
        'metadata: { name: v, provider: f }',
        'spec:',
        '  id: V',
        '  email: v@example.com',
        '  group: { ref: f/SecurityLevel/ops }',
        '  sponsor: { ref: nobody }',
        '',
      ].join('\n'),
    });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "u.yaml:8:12: error[manifest.reference]: no SecurityLevel named opz in provider f (did you mean ops?)",
        "u.yaml:9:17: error[manifest.reference]: no resource f/Group/admin (did you mean f/Group/admins?); a full reference is provider/Kind/name",
        "u.yaml:10:19: error[manifest.reference]: ref ops is ambiguous: it could be f/Group/ops or f/SecurityLevel/ops; write the full address",
        "u.yaml:18:17: error[manifest.reference]: f/SecurityLevel/ops is a SecurityLevel; this field refers to a Group",
        "u.yaml:19:19: error[manifest.reference]: no resource named nobody in provider f",
      ]
    `);
  });

  it('reports each reference cycle once, at the first resource’s ref, and still orders everything', async () => {
    const role = (name: string, parent: string) =>
      resource('SecurityLevel', name, `{ name: N, parent: { ref: ${parent} } }`);
    const r = await project({
      'p.yaml': FAKE_PROVIDER,
      'a.yaml': `${role('b', 'c')}---\n${role('c', 'a')}---\n${role('a', 'b')}---\n${role('self', 'self')}---\n${role('after', 'a')}`,
    });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "a.yaml:14:33: error[manifest.cycle]: reference cycle: f/SecurityLevel/a → f/SecurityLevel/b → f/SecurityLevel/c → f/SecurityLevel/a; break it by removing one of these refs",
        "a.yaml:19:33: error[manifest.cycle]: reference cycle: f/SecurityLevel/self → f/SecurityLevel/self; break it by removing one of these refs",
      ]
    `);
    expect(r.graph.order).toEqual([
      'Provider/f',
      'f/SecurityLevel/a',
      'f/SecurityLevel/after',
      'f/SecurityLevel/b',
      'f/SecurityLevel/c',
      'f/SecurityLevel/self',
    ]);
  });

  it('collects the errors of every stage in one run', async () => {
    const r = await project({
      'p.yaml': FAKE_PROVIDER,
      'a.yaml': [
        'apiVersion: roster/v1',
        'kind: SecurityLevel',
        'metadata: { name: a, provider: f }',
        'spec: { name: 7, parent: { ref: missing } }',
        '---',
        'apiVersion: roster/v1',
        'kind: SecurityLevel',
        'metadata: { name: a, provider: f }',
        'spec: { name: A }',
        '---',
        'apiVersion: roster/v1',
        'kind: Group',
        'metadata: { name: g, provider: f }',
        'spec: { name: G, lead: { ref: ${env:X} } }',
        '',
      ].join('\n'),
      'broken.yaml': 'a: [\n',
    });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "a.yaml:4:15: error[manifest.schema]: spec.name must be a string",
        "a.yaml:4:33: error[manifest.reference]: no SecurityLevel named missing in provider f",
        "a.yaml:8:19: error[manifest.duplicate]: f/SecurityLevel/a is declared twice; the first is at a.yaml:3",
        "a.yaml:14:31: error[manifest.interpolation]: \${env:…} is only allowed inside a credentials block: it would copy a local secret or file into a remote system",
        "broken.yaml:2:1: error[manifest.yaml]: Flow sequence in block collection must be sufficiently indented and end with a ]",
      ]
    `);
  });
});

describe('resolveReferences on large graphs', () => {
  const at = { file: 'big.yaml', line: 1, column: 1 };
  const providerDoc: ManifestDocument = {
    apiVersion: 'roster/v1',
    kind: 'Provider',
    name: 'f',
    labels: {},
    spec: { type: 'fake' },
    lifecycle: {},
    address: 'Provider/f',
    source: { file: 'big.yaml', index: 0, start: at, positionOf: () => at },
  };
  const role = (i: number, parent?: number): ManifestDocument => ({
    apiVersion: 'roster/v1',
    kind: 'SecurityLevel',
    name: `r${i}`,
    provider: 'f',
    labels: {},
    spec: parent === undefined ? { name: `R${i}` } : { name: `R${i}`, parent: { ref: `r${parent}` } },
    lifecycle: {},
    address: `f/SecurityLevel/r${i}`,
    source: { file: 'big.yaml', index: i + 1, start: at, positionOf: () => at },
  });
  const N = 100_000;

  it('orders a chain of 100,000 refs without deep recursion', () => {
    const docs = [providerDoc, ...Array.from({ length: N }, (_, i) => role(i, i === 0 ? undefined : i - 1))];
    const r = resolveReferences({ documents: docs, providers: [fake] });
    expect(r.diagnostics).toEqual([]);
    expect(r.graph.order).toHaveLength(N + 1);
    expect(r.graph.order.slice(0, 3)).toEqual(['Provider/f', 'f/SecurityLevel/r0', 'f/SecurityLevel/r1']);
    expect(r.graph.order.at(-1)).toBe(`f/SecurityLevel/r${N - 1}`);
  });

  it('places every one of 100,000 resources after its dependencies', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const docs = [
      providerDoc,
      ...Array.from({ length: N }, (_, i) => role(i, i === 0 ? undefined : Math.floor(random() * i))),
    ];
    const r = resolveReferences({ documents: docs, providers: [fake] });
    expect(r.diagnostics).toEqual([]);
    const position = new Map(r.graph.order.map((a, i) => [a, i]));
    let misplaced = 0;
    for (const a of r.graph.order) {
      for (const d of r.graph.dependenciesOf(a)) if (position.get(d)! >= position.get(a)!) misplaced += 1;
    }
    expect(misplaced).toBe(0);
  });

  it('finds a cycle through 100,000 resources without deep recursion', () => {
    const docs = [providerDoc, ...Array.from({ length: N }, (_, i) => role(i, (i + 1) % N))];
    const r = resolveReferences({ documents: docs, providers: [fake] });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.code).toBe('manifest.cycle');
    expect(r.diagnostics[0]!.message).toMatch(
      /^reference cycle: f\/SecurityLevel\/r0 → f\/SecurityLevel\/r1 → /,
    );
    expect(r.graph.order).toHaveLength(N + 1);
  });
});

describe('isReference', () => {
  it('is { ref } or { ref, output }, nothing else', () => {
    expect(isReference({ ref: 'a' })).toBe(true);
    expect(isReference({ ref: 'a', output: 'key' })).toBe(true);
    expect(isReference({ ref: 'a', other: 1 })).toBe(false);
    expect(isReference({ ref: 7 })).toBe(false);
    expect(isReference(['a'])).toBe(false);
  });
});
