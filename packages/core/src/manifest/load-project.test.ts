import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, sortDiagnostics } from '../diagnostics.js';
import type { Provider } from '../provider.js';
import { isSecret } from '../secret.js';
import { loadProject } from './load-project.js';

const ref = {
  type: 'object',
  required: ['ref'],
  properties: { ref: { type: 'string' } },
  additionalProperties: false,
};

/** A provider with two kinds, enough to exercise every stage of loading. */
const fake: Provider = {
  type: 'fake',
  displayName: 'Fake',
  description: 'test provider',
  configSchema: {
    type: 'object',
    required: ['type'],
    properties: { type: { const: 'fake' }, endpoint: { type: 'string' }, credentials: { type: 'object' } },
    additionalProperties: false,
  },
  kinds: {
    SecurityLevel: {
      description: 'role',
      schema: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, parent: ref },
        additionalProperties: false,
      },
      attributes: { parent: { ref: 'SecurityLevel' } },
      deleteMode: 'delete',
      capabilities: { create: 'api', read: 'api', update: 'api', delete: 'api' },
      naturalKey: (s) => String(s.name),
      naturalKeyAttribute: 'name',
    },
    ServiceAccount: {
      description: 'user',
      schema: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'string' },
          kind: { enum: ['a', 'b'] },
          roles: { type: 'array', items: ref },
          credentials: { type: 'object' },
        },
        additionalProperties: false,
      },
      attributes: { roles: { ref: 'SecurityLevel', set: true } },
      deleteMode: 'deactivate',
      deactivation: { attribute: 'status', value: 'off', activeValue: 'on' },
      capabilities: { create: 'api', read: 'api', update: 'api', delete: 'api' },
      naturalKey: (s) => String(s.id),
      naturalKeyAttribute: 'id',
      check: ({ spec }) => ({
        diagnostics:
          spec.id === 'root'
            ? [{ severity: 'warning', code: 'fake.root', message: 'root is risky', path: '/id' }]
            : [],
      }),
    },
  },
  connect: () => Promise.reject(new Error('not used')),
};

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-manifest-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const provider = 'apiVersion: roster/v1\nkind: Provider\nmetadata: { name: f }\nspec: { type: fake }\n';

async function load(files: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const cwd = tree(files);
  const r = await loadProject({ paths: ['.'], cwd, providers: [fake], env });
  return { ...r, lines: sortDiagnostics(r.diagnostics).map(formatDiagnostic) };
}

describe('loadProject', () => {
  it('reads many documents from many files and orders references first', async () => {
    const r = await load({
      'p.yaml': provider,
      'sub/roles.yaml':
        'apiVersion: roster/v1\nkind: SecurityLevel\nmetadata: { name: child, provider: f }\nspec: { name: C, parent: { ref: base } }\n---\n---\napiVersion: roster/v1\nkind: SecurityLevel\nmetadata: { name: base, provider: f }\nspec: { name: B }\n',
      'users.yml':
        'apiVersion: roster/v1\nkind: ServiceAccount\nmetadata: { name: u, provider: f }\nspec: { id: U1, roles: [{ ref: child }] }\n',
    });
    expect(r.lines).toEqual([]);
    expect(r.files).toEqual(['p.yaml', 'sub/roles.yaml', 'users.yml']);
    expect(r.graph.order).toEqual(['f/SecurityLevel/base', 'f/SecurityLevel/child', 'f/ServiceAccount/u']);
    expect(r.graph.targetOf('f/ServiceAccount/u', '/spec/roles/0')).toBe('f/SecurityLevel/child');
  });

  it('reports every error at once, each at its file:line:column', async () => {
    const r = await load({
      'p.yaml': provider,
      'u.yaml': [
        'apiVersion: roster/v1',
        'kind: ServiceAccount',
        'metadata: { name: Bad_Name, provider: f }',
        'spec:',
        '  id: 7',
        '  kind: c',
        '  extra: true',
        '---',
        'apiVersion: roster/v1',
        'kind: Connector',
        'metadata: { name: w, provider: f }',
        'spec: {}',
        '---',
        'apiVersion: roster/v1',
        'kind: ServiceAccount',
        'metadata: { name: v, provider: g }',
        'spec: { id: V, roles: [{ ref: nope }] }',
        '',
      ].join('\n'),
    });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "u.yaml:3:19: error[manifest.schema]: metadata.name must match ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
        "u.yaml:5:7: error[manifest.schema]: spec.id must be a string",
        "u.yaml:6:9: error[manifest.schema]: spec.kind must be one of: a, b",
        "u.yaml:7:3: error[manifest.schema]: unknown field spec.extra",
        "u.yaml:10:7: error[manifest.kind]: provider f (fake) has no kind Connector; it supports: SecurityLevel, ServiceAccount",
        "u.yaml:16:32: error[manifest.provider]: no Provider document named "g" (did you mean f?); declare one with kind: Provider",
      ]
    `);
  });

  it('resolves credentials from env and file into secrets, and only inside credentials', async () => {
    const r = await load(
      {
        'p.yaml': provider.replace(
          'spec: { type: fake }',
          'spec: { type: fake, credentials: { a: ${env:A}, b: ${file:b.txt} } }',
        ),
        'b.txt': 'from-file\n',
        'u.yaml':
          'apiVersion: roster/v1\nkind: ServiceAccount\nmetadata: { name: u, provider: f }\nspec:\n  id: ${env:A}\n  credentials: { token: plain-text, other: ${env:MISSING} }\n',
      },
      { A: 'super-secret-value' },
    );
    const creds = r.providerDocs[0]!.spec.credentials as Record<string, unknown>;
    expect(isSecret(creds.a) && creds.a.reveal()).toBe('super-secret-value');
    expect(isSecret(creds.b) && creds.b.reveal()).toBe('from-file');
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "u.yaml:5:7: error[manifest.interpolation]: \${env:…} and \${file:…} are only allowed inside a credentials block: here they would copy a local secret or file into a remote system",
        "u.yaml:6:25: error[manifest.literal-secret]: literal secret in a manifest: write \${env:NAME} or \${file:PATH} so the value stays out of git",
        "u.yaml:6:44: error[manifest.env-unset]: environment variable MISSING is not set",
      ]
    `);
    expect(r.lines.join('\n')).not.toContain('super-secret-value');
  });

  it('finds duplicates, unknown references with suggestions, and cycles', async () => {
    const role = (name: string, parent: string) =>
      `apiVersion: roster/v1\nkind: SecurityLevel\nmetadata: { name: ${name}, provider: f }\nspec: { name: ${name.toUpperCase()}, parent: { ref: ${parent} } }\n`;
    const r = await load({
      'p.yaml': provider,
      'a.yaml': `${role('a', 'b')}---\n${role('b', 'a')}---\n${role('c', 'bb')}`,
      'dup.yaml': role('a', 'b'),
    });
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "a.yaml:4:26: error[manifest.cycle]: reference cycle: f/SecurityLevel/a → f/SecurityLevel/b → f/SecurityLevel/a",
        "a.yaml:14:33: error[manifest.reference]: no SecurityLevel named bb in provider f (did you mean b?)",
        "dup.yaml:3:19: error[manifest.duplicate]: f/SecurityLevel/a is declared twice; the first is at a.yaml:1",
      ]
    `);
  });

  it('turns hostile input into one diagnostic each, never an exception', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      );
    const r = await load({
      'bomb.yaml': `${bomb.join('\n')}\n`,
      'nul.yaml': 'apiVersion: roster/v1\nkind: \u0000User\n',
      'deep.yaml': `${'['.repeat(200)}${']'.repeat(200)}\n`,
      'dupkey.yaml': 'apiVersion: roster/v1\napiVersion: roster/v1\n',
      'list.yaml': '- 1\n- 2\n',
    });
    expect(r.lines.map((l) => l.replace(/: .*$/, ''))).toEqual([
      'bomb.yaml:1:1',
      'deep.yaml:1:1',
      'dupkey.yaml:2:1',
      'list.yaml:1:1',
      'nul.yaml:2:7',
    ]);
    expect(r.lines.find((l) => l.startsWith('bomb'))).toMatch(/alias/);
    expect(r.lines.find((l) => l.startsWith('deep'))).toMatch(/nesting/);
  });
});
