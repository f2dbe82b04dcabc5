import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSecret, type Secret } from '../secret.js';
import { FAKE_PROVIDER, fake, lines, resource, tree } from './fixtures.testing.js';
import { loadManifests } from './load.js';

const SECRET = 'hunter2-super-secret';
const FILE_SECRET = 'from-a-file-secret';

async function load(files: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  const cwd = tree(files);
  const r = await loadManifests({ paths: ['.'], cwd, providers: [fake], env });
  const text = lines(r.diagnostics);
  // Whatever happens, no secret value is ever part of a diagnostic.
  for (const l of text) {
    expect(l).not.toContain(SECRET);
    expect(l).not.toContain(FILE_SECRET);
  }
  return { ...r, cwd, lines: text };
}

describe('${env:…} and ${file:…}', () => {
  it('become secrets inside credentials blocks, at any depth of spec', async () => {
    const r = await load(
      {
        'p.yaml': FAKE_PROVIDER.replace(
          'spec: { type: fake }',
          'spec: { type: fake, credentials: { token: ${env:TOKEN}, user: "${file:secrets/user.txt}" } }',
        ),
        'secrets/user.txt': `${FILE_SECRET}\n`,
        'u.yaml': resource(
          'ServiceAccount',
          'u',
          '{ id: U, email: u@example.com, credentials: { secret: ${env:TOKEN}, rotateAfterDays: 90 } }',
        ),
      },
      { TOKEN: SECRET },
    );
    expect(r.lines).toEqual([]);
    const provider = r.documents.find((d) => d.kind === 'Provider')!;
    const { token, user } = provider.spec.credentials as { token: Secret; user: Secret };
    expect(isSecret(token) && token.reveal()).toBe(SECRET);
    expect(token.origin).toBe('env:TOKEN');
    expect(isSecret(user) && user.reveal()).toBe(FILE_SECRET);
    expect(user.origin).toBe(`file:${path.join(r.cwd, 'secrets/user.txt')}`);
    const account = r.documents.find((d) => d.kind === 'ServiceAccount')!;
    expect(account.spec.credentials).toEqual({ secret: expect.any(Object), rotateAfterDays: 90 });
    expect(JSON.stringify(account.spec)).not.toContain(SECRET);
  });

  it('are refused outside credentials blocks, and literals inside them', async () => {
    const r = await load(
      {
        'p.yaml': FAKE_PROVIDER.replace(
          'spec: { type: fake }',
          'spec:\n  type: fake\n  endpoint: https://${env:HOST}/api\n  credentials:\n    token: hunter2-super-secret\n    user: Bearer ${env:TOKEN}\n',
        ),
        'u.yaml': [
          'apiVersion: roster/v1',
          'kind: ServiceAccount',
          'metadata: { name: u, provider: f, labels: { owner: "${file:owner.txt}" } }',
          'spec:',
          '  id: U',
          '  email: ${env:EMAIL}',
          '',
        ].join('\n'),
      },
      { HOST: 'h', TOKEN: SECRET, EMAIL: 'e' },
    );
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "p.yaml:6:13: error[manifest.interpolation]: \${env:…} is only allowed inside a credentials block: it would copy a local secret or file into a remote system",
        "p.yaml:8:12: error[manifest.literal-secret]: literal secret in a manifest: use \${env:NAME} or \${file:PATH}",
        "p.yaml:9:11: error[manifest.interpolation]: spec.credentials.user must be exactly one \${env:NAME} or \${file:PATH}, with nothing around it",
        "u.yaml:3:52: error[manifest.interpolation]: \${file:…} is only allowed inside a credentials block: it would copy a local secret or file into a remote system",
        "u.yaml:6:10: error[manifest.interpolation]: \${env:…} is only allowed inside a credentials block: it would copy a local secret or file into a remote system",
      ]
    `);
  });

  it("name an unset variable and an unreadable file, never a value; a Provider's only when used", async () => {
    const r = await load(
      {
        'p.yaml': FAKE_PROVIDER.replace(
          'spec: { type: fake }',
          'spec:\n  type: fake\n  credentials:\n    token: ${env:MISSING_TOKEN}\n    user: ${file:nope.txt}\n',
        ),
        'u.yaml': resource(
          'ServiceAccount',
          'u',
          '{ id: U, email: u@example.com, credentials: { secret: ${env:1BAD}, extra: ${file:dir} } }',
        ),
        'dir/x': '',
      },
      { TOKEN: SECRET },
    );
    // A Provider's credentials are resolved when a command signs in with their set: loading keeps
    // each problem, at its line, in the secret (reported by credentialsFor), not as an error now.
    const provider = r.documents.find((d) => d.kind === 'Provider')!;
    const { token, user } = provider.spec.credentials as { token: Secret; user: Secret };
    expect(token.origin).toBe('env:MISSING_TOKEN');
    expect(user.origin).toMatch(/^file:.*nope\.txt$/);
    expect([token, user].map((s) => [s.present, lines([s.problem!])[0]])).toEqual([
      [false, 'p.yaml:7:12: error[manifest.env-unset]: environment variable MISSING_TOKEN is not set'],
      [
        false,
        'p.yaml:8:11: error[manifest.file-unreadable]: cannot read credentials file nope.txt: no such file',
      ],
    ]);
    expect(() => token.reveal()).toThrow('environment variable MISSING_TOKEN is not set');
    expect(r.lines).toMatchInlineSnapshot(`
      [
        "u.yaml:4:61: error[manifest.interpolation]: \${env:1BAD}: not a valid environment variable name",
        "u.yaml:4:74: error[manifest.schema]: unknown field spec.credentials.extra",
        "u.yaml:4:81: error[manifest.file-unreadable]: cannot read credentials file dir: not a regular file",
      ]
    `);
  });

  it('still refuse a malformed or misplaced reference in a Provider document at load', async () => {
    const r = await load({
      'p.yaml': FAKE_PROVIDER.replace(
        'spec: { type: fake }',
        'spec:\n  type: fake\n  credentials:\n    token: ${env:1BAD}\n    user: ${file:}\n',
      ),
    });
    expect(r.lines).toEqual([
      'p.yaml:7:12: error[manifest.interpolation]: ${env:1BAD}: not a valid environment variable name',
      'p.yaml:8:11: error[manifest.interpolation]: ${file:}: give the path of the file holding the value',
    ]);
  });
});
