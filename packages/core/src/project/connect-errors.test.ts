import { describe, expect, it } from 'vitest';
import { DiagnosticsError, formatDiagnostic, UserError } from '../diagnostics.js';
import { silentLogger } from '../logger.js';
import { fake, tree } from '../manifest/fixtures.testing.js';
import type { Provider } from '../provider.js';
import { openProject } from './project.js';
import { Connections } from './refresh.js';

// Found by test/fuzz-manifests.test.ts: a Provider document without `endpoint: sandbox` passed the
// schema, and the provider's refusal at connect time ("needs credentials") named no line.
describe('a provider refusing its configuration when connecting', () => {
  const refusing = (err: Error): Provider => ({ ...fake, connect: () => Promise.reject(err) });
  const open = async (provider: Provider) => {
    const dir = tree({
      'p.yaml':
        'apiVersion: roster/v1\nkind: Provider\nmetadata: { name: f }\nspec:\n  type: fake\n  endpoint: real\n',
    });
    const project = await openProject({ paths: ['.'], cwd: dir, providers: [provider] });
    return Connections.open({
      providers: project.providers.values(),
      stateDir: `${dir}/.roster`,
      readOnly: true,
      log: silentLogger,
    });
  };

  it('is reported at the Provider document, as file:line:column', async () => {
    const err = await open(refusing(new UserError('provider f: endpoint real needs credentials'))).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(DiagnosticsError);
    expect((err as DiagnosticsError).diagnostics.map(formatDiagnostic)).toEqual([
      'p.yaml:6:13: error[provider.connect]: provider f: endpoint real needs credentials',
    ]);
  });

  it('leaves other failures as they are', async () => {
    const err = await open(refusing(new Error('socket hang up'))).catch((e) => e);
    expect(err).not.toBeInstanceOf(DiagnosticsError);
    expect((err as Error).message).toBe('socket hang up');
  });
});
