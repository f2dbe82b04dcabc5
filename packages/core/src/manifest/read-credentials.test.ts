import { describe, expect, it } from 'vitest';
import { openProject } from '../project/project.js';
import type { Provider } from '../provider.js';
import { isSecret, Secret } from '../secret.js';
import { fake, lines, tree } from './fixtures.testing.js';
import { splitCredentials, withReadCredentials } from './read-credentials.js';

/** A provider whose credentials are required, like Intacct's or Autotask's. */
const strict: Provider = {
  ...fake,
  type: 'strict',
  configSchema: {
    $id: 'https://roster.dev/schemas/strict/Provider.schema.json',
    type: 'object',
    required: ['type'],
    additionalProperties: false,
    properties: {
      type: { const: 'strict' },
      endpoint: { type: 'string' },
      credentials: {
        type: 'object',
        additionalProperties: false,
        required: ['user', 'token'],
        properties: { user: { type: 'string' }, token: { type: 'string' } },
      },
    },
  },
};

const providerDoc = (credentials: string) =>
  `apiVersion: roster/v1\nkind: Provider\nmetadata: { name: s }\nspec:\n  type: strict\n  credentials:\n${credentials}`;

async function open(credentials: string, env: NodeJS.ProcessEnv) {
  const cwd = tree({ 'p.yaml': providerDoc(credentials), 'ro.token': 'read-token-value\n' });
  const project = await openProject({ paths: ['.'], cwd, providers: [strict], env });
  return { project, lines: lines(project.diagnostics), cwd };
}

const ENV = { W_USER: 'w-user', W_TOKEN: 'w-token', R_USER: 'r-user' };

describe('withReadCredentials', () => {
  it('adds credentials.read with the same keys and rules, and accepts the read set alone', () => {
    const schema = withReadCredentials(strict.configSchema);
    const creds = (schema.properties as Record<string, Record<string, unknown>>).credentials!;
    const read = (creds.properties as Record<string, Record<string, unknown>>).read!;
    expect(read).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['user', 'token'],
      properties: { user: { type: 'string' }, token: { type: 'string' } },
    });
    expect(creds.required).toBeUndefined();
    expect(creds.anyOf).toEqual([{ required: ['user', 'token'] }, { required: ['read'] }]);
    // The provider's own schema object is left as it was.
    expect(strict.configSchema.properties).not.toHaveProperty('credentials.properties.read');
  });

  it('returns the same object for the same schema (compiled once), and schemas without credentials as they are', () => {
    expect(withReadCredentials(strict.configSchema)).toBe(withReadCredentials(strict.configSchema));
    const none = { type: 'object', properties: { type: { const: 'x' } } };
    expect(withReadCredentials(none)).toBe(none);
  });
});

describe('splitCredentials', () => {
  it('separates the top-level set from credentials.read, keeping secrets only', () => {
    const w = new Secret('a', 'env:A');
    const r = new Secret('b', 'env:B');
    const sets = splitCredentials({ token: w, rotateAfterDays: 3, read: { token: r, n: 1 } });
    expect(sets.write).toEqual({ token: w });
    expect(sets.read).toEqual({ token: r });
    expect(splitCredentials({ token: w }).read).toBeUndefined();
    expect(splitCredentials(undefined)).toEqual({ write: {} });
  });
});

describe('a Provider document with credentials.read', () => {
  it('interpolates the nested block and keeps both sets apart', async () => {
    const { project, lines: l } = await open(
      [
        '    user: ${env:W_USER}',
        '    token: ${env:W_TOKEN}',
        '    read:',
        '      user: ${env:R_USER}',
        '      token: ${file:ro.token}',
        '',
      ].join('\n'),
      ENV,
    );
    expect(l).toEqual([]);
    const p = project.providers.get('s')!;
    expect(Object.keys(p.credentials)).toEqual(['user', 'token']);
    expect(p.credentials.user?.reveal()).toBe('w-user');
    expect(p.readCredentials?.user?.reveal()).toBe('r-user');
    expect(p.readCredentials?.token?.reveal()).toBe('read-token-value');
    expect(isSecret(p.readCredentials?.token)).toBe(true);
    // The provider's configuration never carries credentials of either set.
    expect(p.config).toEqual({ type: 'strict' });
  });

  it('accepts read credentials alone', async () => {
    const { project, lines: l } = await open(
      '    read:\n      user: ${env:R_USER}\n      token: ${env:R_USER}\n',
      ENV,
    );
    expect(l).toEqual([]);
    const p = project.providers.get('s')!;
    expect(p.credentials).toEqual({});
    expect(Object.keys(p.readCredentials ?? {})).toEqual(['user', 'token']);
  });

  it('refuses a literal, an unknown key and a missing key inside read at their lines; an unset variable when used', async () => {
    const { lines: l, project } = await open(
      [
        '    user: ${env:W_USER}',
        '    token: ${env:W_TOKEN}',
        '    read:',
        '      user: literal-user',
        '      token: ${env:NOT_SET}',
        '      tokne: ${env:R_USER}',
        '',
      ].join('\n'),
      ENV,
    );
    expect(l.some((x) => /^p\.yaml:10:13: error\[manifest\.literal-secret\]/.test(x))).toBe(true);
    // An unset variable is an error only for a command that signs in with its set (credentialsFor).
    expect(l.some((x) => x.includes('NOT_SET'))).toBe(false);
    const token = project.providers.get('s')!.readCredentials!.token!;
    expect(token.present).toBe(false);
    expect(lines([token.problem!])).toEqual([
      'p.yaml:11:14: error[manifest.env-unset]: environment variable NOT_SET is not set',
    ]);
    expect(l.some((x) => /p\.yaml:12:\d+: error\[manifest\.schema\].*tokne/.test(x))).toBe(true);
    expect(l.join('\n')).not.toContain('literal-user');
  });

  it('still requires the full write set when read is absent', async () => {
    const { lines: l } = await open('    user: ${env:W_USER}\n', ENV);
    expect(l).toEqual(['p.yaml:6:3: error[manifest.schema]: missing required field spec.credentials.token']);
  });
});
