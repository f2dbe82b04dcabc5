import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { keyedKind } from '../kind-fixtures.testing.js';
import type { JsonSchema, Provider, RemoteObject } from '../provider.js';
import { assignNames, exportManifests, kebabOf, kindOrder, slugOf } from './export-manifests.js';
import { exportFiles, manifestsYaml } from './export-yaml.js';

const ref: JsonSchema = {
  type: 'object',
  required: ['ref'],
  properties: { ref: { type: 'string', minLength: 1 } },
  additionalProperties: false,
};
const _api = { create: 'api', read: 'api', update: 'api', delete: 'api' } as const;

const role = keyedKind(
  'name',
  { name: { type: 'string' }, permissions: { type: 'array', items: { type: 'string' } } },
  { description: 'a role', role: 'role' },
);

const account = keyedKind(
  'id',
  {
    id: { type: 'string' },
    email: { type: 'string' },
    roles: { type: 'array', items: ref },
    level: ref,
    vendor: { type: 'string', minLength: 1 },
    password: { type: 'string' },
    credentials: { type: 'object' },
  },
  {
    description: 'an account',
    role: 'account',
    required: ['id', 'vendor'],
    attributes: {
      roles: { ref: 'SecurityLevel', set: true },
      level: { ref: 'SecurityLevel', verifiable: false },
      vendor: { verifiable: false },
      password: { writeOnly: true },
      credentials: { local: true },
    },
    deleteMode: 'deactivate',
    check: ({ spec }) => ({
      diagnostics:
        spec.email === 'bad'
          ? [{ severity: 'error', code: 'test.bad-email', message: 'no bad e-mail', path: '/email' }]
          : [],
    }),
  },
);

const provider: Provider = {
  type: 'test',
  displayName: 'Test system',
  description: 'a test provider',
  configSchema: {},
  kinds: { ServiceAccount: account, SecurityLevel: role },
  connect: () => Promise.reject(new Error('not in unit tests')),
};

const obj = (naturalKey: string, attributes: Record<string, unknown>, extra: Partial<RemoteObject> = {}) => ({
  id: `id-${naturalKey}`,
  naturalKey,
  attributes,
  ...extra,
});

const run = (objects: Record<string, RemoteObject[]>, p: Provider = provider) =>
  exportManifests({
    providerName: 'sys',
    provider: p,
    config: {},
    objects: new Map(Object.entries(objects)),
  });

describe('names', () => {
  it('slugs natural keys into DNS labels', () => {
    expect(slugOf('WS_INVOICE_PORTAL', 'x')).toBe('ws-invoice-portal');
    expect(slugOf('staff:S-1002', 'x')).toBe('staff-s-1002');
    expect(slugOf('12345.WS-INVOICE', 'x')).toBe('12345-ws-invoice');
    expect(slugOf('Café Zürich', 'x')).toBe('cafe-zurich');
    expect(slugOf('::SYS::', 'x')).toBe('sys');
    expect(slugOf('::', 'security-level')).toBe('security-level');
    expect(slugOf('a'.repeat(80), 'x')).toHaveLength(63);
    expect(slugOf(`${'a'.repeat(62)}_b`, 'x')).toBe('a'.repeat(62));
  });

  it('dedupes collisions deterministically, whatever the listing order', () => {
    const one = assignNames(['AP Sync', 'ap_sync', 'AP-SYNC'], 'x');
    const two = assignNames(['AP-SYNC', 'ap_sync', 'AP Sync'], 'x');
    expect([...one].sort()).toEqual([...two].sort());
    expect(new Set(one.values())).toEqual(new Set(['ap-sync', 'ap-sync-2', 'ap-sync-3']));
    expect(one.get('AP Sync')).toBe('ap-sync');
    const long = assignNames([`${'a'.repeat(70)}1`, `${'a'.repeat(70)}2`], 'x');
    expect([...long.values()].every((n) => n.length <= 63)).toBe(true);
    expect(new Set(long.values()).size).toBe(2);
  });

  it('kebab-cases kinds and puts referenced kinds first', () => {
    expect(kebabOf('ServiceAccount')).toBe('service-account');
    expect(kebabOf('SecurityLevel')).toBe('security-level');
    expect(kindOrder(provider)).toEqual(['SecurityLevel', 'ServiceAccount']);
  });
});

describe('exportManifests', () => {
  it('converts references to metadata names and leaves out secrets, local attributes and outputs', () => {
    const { manifests, notes } = run({
      SecurityLevel: [obj('AP Sync', { name: 'AP Sync', permissions: ['a', 'b'] })],
      ServiceAccount: [
        obj(
          'WS_A',
          {
            id: 'WS_A',
            email: 'a@example.com',
            roles: [{ ref: 'AP Sync' }],
            vendor: 'Acme',
            password: 'hunter2',
            credentials: { password: 'x' },
            extra: 'not in the schema',
          },
          { outputs: { username: 'secret-user' } },
        ),
      ],
    });
    expect(notes).toEqual([]);
    expect(manifests).toEqual([
      {
        kind: 'SecurityLevel',
        name: 'ap-sync',
        naturalKey: 'AP Sync',
        spec: { name: 'AP Sync', permissions: ['a', 'b'] },
        placeholders: [],
      },
      {
        kind: 'ServiceAccount',
        name: 'ws-a',
        naturalKey: 'WS_A',
        spec: { id: 'WS_A', email: 'a@example.com', roles: [{ ref: 'ap-sync' }], vendor: 'Acme' },
        placeholders: [],
      },
    ]);
    const text = manifestsYaml('sys', manifests);
    expect(text).not.toMatch(/hunter2|secret-user|credentials/);
  });

  it('skips conflicts, and objects whose references or checks fail, with a note each', () => {
    const { manifests, notes } = run({
      SecurityLevel: [
        obj('::SYS::Admin', { name: '::SYS::Admin' }, { conflict: 'a system role' }),
        obj('Ok', { name: 'Ok' }),
      ],
      ServiceAccount: [
        obj('WS_SYS', { id: 'WS_SYS', roles: [{ ref: '::SYS::Admin' }], vendor: 'v' }),
        obj('WS_BAD', { id: 'WS_BAD', email: 'bad', vendor: 'v' }),
        obj('WS_NUM', { id: 'WS_NUM', email: 42, vendor: 'v' }),
        obj('WS_OK', { id: 'WS_OK', roles: [{ ref: 'Ok' }], vendor: 'v' }),
      ],
    });
    expect(manifests.map((m) => m.name)).toEqual(['ok', 'ws-ok']);
    expect(notes.map((n) => n.message)).toEqual([
      'SecurityLevel ::SYS::Admin: not exported: a system role',
      'ServiceAccount WS_SYS: not exported: its roles refers to SecurityLevel ::SYS::Admin, which is not exported',
      'ServiceAccount WS_BAD: not exported: no bad e-mail [test.bad-email]',
      'ServiceAccount WS_NUM: not exported: its spec does not match the ServiceAccount schema: /spec/email: spec.email must be a string',
    ]);
  });

  it('marks required attributes the system cannot report as null placeholders with a TODO', () => {
    const { manifests, notes } = run({
      SecurityLevel: [],
      ServiceAccount: [obj('WS_A', { id: 'WS_A', email: 'a@example.com' })],
    });
    expect(notes).toEqual([]);
    expect(manifests[0]).toMatchObject({
      spec: { id: 'WS_A', email: 'a@example.com', vendor: null },
      placeholders: ['vendor'],
    });
    const text = manifestsYaml('sys', manifests, provider);
    expect(text).toMatch(/^# TODO: the system does not report vendor/);
    expect(text).toMatch(/vendor: null # TODO: vendor as it is in the system/);
    expect(parse(text).spec.vendor).toBeNull();
  });

  it('skips an object rather than emit a placeholder the schema would accept', () => {
    const lax: Provider = {
      ...provider,
      kinds: {
        ...provider.kinds,
        ServiceAccount: { ...account, schema: { ...account.schema, properties: { id: {}, vendor: {} } } },
      },
    };
    const { manifests, notes } = run({ ServiceAccount: [obj('WS_A', { id: 'WS_A' })] }, lax);
    expect(manifests).toEqual([]);
    expect(notes[0]?.message).toMatch(/does not report vendor, which the manifest must state/);
  });

  it('a guarded privilege the system cannot report is a TODO too: left out, it would claim none', () => {
    const guarded: Provider = {
      ...provider,
      kinds: {
        ...provider.kinds,
        ServiceAccount: {
          ...account,
          attributes: {
            ...account.attributes,
            level: { ref: 'SecurityLevel', verifiable: false, privilege: true, absent: null },
          },
        },
      },
    };
    const { manifests } = run({ ServiceAccount: [obj('WS_A', { id: 'WS_A' })] }, guarded);
    expect(manifests[0]?.placeholders).toEqual(['level', 'vendor']);
    expect(manifestsYaml('p', manifests, guarded)).toContain(
      'level: null # TODO: { ref: <metadata.name of its SecurityLevel> }, or delete this line if it has none; the system cannot report it',
    );
  });

  it("drops objects the provider's cross-resource checks refuse", () => {
    const checked: Provider = {
      ...provider,
      check: ({ resources }) => ({
        diagnostics: resources
          .filter((r) => r.spec.name === 'Dup')
          .map((r) => ({
            severity: 'error',
            code: 'test.dup',
            message: 'duplicate',
            address: r.address,
            path: '',
          })),
      }),
    };
    const { manifests, notes } = run(
      {
        SecurityLevel: [obj('Dup', { name: 'Dup' })],
        ServiceAccount: [obj('WS_A', { id: 'WS_A', roles: [{ ref: 'Dup' }], vendor: 'v' })],
      },
      checked,
    );
    expect(manifests).toEqual([]);
    expect(notes.map((n) => n.message)).toEqual([
      'SecurityLevel Dup: not exported: duplicate [test.dup]',
      'ServiceAccount WS_A: not exported: its roles refers to SecurityLevel Dup, which is not exported',
    ]);
  });

  it('writes one file per kind, documents separated by ---, short lists in flow style', () => {
    const { manifests } = run({
      SecurityLevel: [obj('A', { name: 'A', permissions: ['x', 'y'] }), obj('B', { name: 'B' })],
      ServiceAccount: [obj('WS_A', { id: 'WS_A', roles: [{ ref: 'A' }], vendor: 'v' })],
    });
    const files = exportFiles('sys', manifests, provider);
    expect(files.map((f) => [f.file, f.count])).toEqual([
      ['sys-security-level.yaml', 2],
      ['sys-service-account.yaml', 1],
    ]);
    expect(files[0]!.text.split('\n---\n')).toHaveLength(2);
    expect(files[0]!.text).toContain('permissions: [x, y]');
    expect(files[1]!.text).toContain('roles: [{ref: a}]');
    expect(files[1]!.text).toContain(
      'apiVersion: roster/v1\nkind: ServiceAccount\nmetadata:\n  name: ws-a\n  provider: sys\n',
    );
  });
});
