import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { type Diagnostic, formatDiagnostic, sortDiagnostics } from '../diagnostics.js';
import { declared, keyedKind } from '../kind-fixtures.testing.js';
import type { JsonSchema, KindDefinition, Provider } from '../provider.js';

// Test support for the manifest pipeline: two small fake providers and inline file trees.

const ref: JsonSchema = {
  type: 'object',
  required: ['ref'],
  properties: { ref: { type: 'string' }, output: { type: 'string' } },
  additionalProperties: false,
};

const api = { create: 'api', read: 'api', update: 'api', delete: 'api' } as const;

const securityLevel = keyedKind(
  'name',
  {
    name: { type: 'string', minLength: 1 },
    parent: ref,
    permissions: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  },
  { description: 'a role', role: 'role', attributes: { parent: { ref: 'SecurityLevel' } } },
);

const group = keyedKind(
  'name',
  { name: { type: 'string' }, lead: ref },
  { description: 'a group', role: 'group' },
);

const serviceAccount: KindDefinition = {
  description: 'an API user',
  role: 'account',
  schema: {
    type: 'object',
    required: ['id', 'email'],
    properties: {
      id: { type: 'string', pattern: '^[A-Z_]+$' },
      email: { type: 'string', format: 'email' },
      userType: { enum: ['business', 'employee', 'viewOnly'] },
      admin: { type: 'boolean' },
      roles: { type: 'array', items: ref },
      group: ref,
      /** No attribute rule: a bare name is searched in every kind of the provider. */
      sponsor: ref,
      endpoint: { anyOf: [{ const: 'sandbox' }, { type: 'string', pattern: '^https://' }] },
      contact: {
        oneOf: [
          { type: 'string', format: 'email' },
          {
            type: 'object',
            required: ['email'],
            properties: { email: { type: 'string' }, name: { type: 'string' } },
            additionalProperties: false,
          },
        ],
      },
      credentials: {
        type: 'object',
        properties: { secret: { type: 'string' }, rotateAfterDays: { type: 'integer', minimum: 1 } },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  attributes: { roles: { ref: 'SecurityLevel', set: true }, group: { ref: 'Group' } },
  deleteMode: 'deactivate',
  onRemoveOptions: ['deactivate'],
  deactivation: { attribute: 'status', value: 'off', activeValue: 'on' },
  ...declared(api),
  naturalKey: (s) => String(s.id),
  naturalKeyAttribute: 'id',
  check: ({ spec }) => ({
    diagnostics:
      spec.admin === true && spec.userType !== 'business'
        ? [
            {
              severity: 'error',
              code: 'fake.admin',
              message: 'admin needs userType business',
              path: '/admin',
            },
          ]
        : [],
  }),
};

/** A provider with three kinds: SecurityLevel, Group, ServiceAccount. */
export const fake: Provider = {
  type: 'fake',
  displayName: 'Fake',
  description: 'test provider',
  configSchema: {
    $id: 'https://roster.dev/schemas/fake/Provider.schema.json',
    type: 'object',
    required: ['type'],
    properties: {
      type: { const: 'fake' },
      endpoint: { type: 'string' },
      credentials: {
        type: 'object',
        properties: { token: { type: 'string' }, user: { type: 'string' } },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  kinds: { SecurityLevel: securityLevel, Group: group, ServiceAccount: serviceAccount },
  connect: () => Promise.reject(new Error('not used in manifest tests')),
};

/** A second provider whose Connector wires in another provider's resource. */
export const other: Provider = {
  type: 'other',
  displayName: 'Other',
  description: 'second test provider',
  configSchema: { type: 'object', required: ['type'], properties: { type: { const: 'other' } } },
  kinds: {
    Connector: {
      description: 'a connection',
      role: 'connector',
      schema: { type: 'object', properties: { account: ref }, additionalProperties: false },
      attributes: {},
      deleteMode: 'delete',
      ...declared(api),
      naturalKey: () => 'c',
      naturalKeyAttribute: 'account',
    },
  },
  connect: () => Promise.reject(new Error('not used in manifest tests')),
};

/** A Provider document for `fake`, named `f`. */
export const FAKE_PROVIDER =
  'apiVersion: roster/v1\nkind: Provider\nmetadata: { name: f }\nspec: { type: fake }\n';

/** A resource document of provider `f`, in flow style: one line per field, easy to count lines in. */
export function resource(kind: string, name: string, spec: string, provider = 'f'): string {
  return `apiVersion: roster/v1\nkind: ${kind}\nmetadata: { name: ${name}, provider: ${provider} }\nspec: ${spec}\n`;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Write `files` (relative path → content) to a fresh temporary directory and return it. */
export function tree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-manifest-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Diagnostics as the CLI prints them, in order. */
export function lines(diagnostics: Diagnostic[]): string[] {
  return sortDiagnostics(diagnostics).map(formatDiagnostic);
}
