import { describe, expect, it } from 'vitest';
import type { Provider } from '../provider.js';
import { FAKE_PROVIDER, fake, lines, other, resource, tree } from './fixtures.testing.js';
import { loadManifests } from './load.js';

/** A provider whose only kind core has never heard of. */
const hooks: Provider = {
  ...other,
  type: 'hooks',
  configSchema: { type: 'object', required: ['type'], properties: { type: { const: 'hooks' } } },
  kinds: { Webhook: { ...other.kinds.Connector!, role: 'connector', description: 'a webhook' } },
};
const HOOKS_PROVIDER =
  'apiVersion: roster/v1\nkind: Provider\nmetadata: { name: h }\nspec: { type: hooks }\n';

async function load(files: Record<string, string>, providers: Provider[]) {
  const r = await loadManifests({ paths: ['.'], cwd: tree(files), providers, env: {} });
  return { ...r, lines: lines(r.diagnostics) };
}

describe('resource kinds come from the registered providers', () => {
  it('accepts a kind only while a registered provider declares it', async () => {
    const files = {
      'h.yaml': HOOKS_PROVIDER,
      'w.yaml': resource('Webhook', 'w', '{ account: { ref: x } }', 'h'),
    };
    const withHooks = await load(files, [fake, hooks]);
    expect(withHooks.lines).toEqual([]);
    expect(withHooks.documents.map((d) => d.address)).toEqual(['Provider/h', 'h/Webhook/w']);

    const without = await load(files, [fake]);
    expect(without.lines).toEqual([
      'h.yaml:4:15: error[manifest.provider-type]: unknown provider type hooks; known types: fake',
      'w.yaml:2:7: error[manifest.kind]: unknown kind Webhook; kinds: Provider, Policy, Backend, and those of the provider types: SecurityLevel, Group, ServiceAccount',
    ]);
    expect(without.documents.map((d) => d.address)).toEqual(['Provider/h']);
  });

  it("says at the kind's line what the named provider has, even when the provider comes later", async () => {
    const r = await load(
      {
        'a.yaml': resource('ServiceAcount', 'u', '{ id: U, email: u@example.com }'),
        'b.yaml': resource('Webhok', 'w', '{}', 'h'),
        'c.yaml': resource('Connector', 'c', '{}'),
        'p.yaml': FAKE_PROVIDER,
        'q.yaml': HOOKS_PROVIDER,
      },
      [fake, other, hooks],
    );
    expect(r.lines).toEqual([
      'a.yaml:2:7: error[manifest.kind]: unknown kind ServiceAcount (did you mean ServiceAccount?); provider f (type fake) has: Group, SecurityLevel, ServiceAccount',
      'b.yaml:2:7: error[manifest.kind]: unknown kind Webhok (did you mean Webhook?); provider h (type hooks) has: Webhook',
      // Known to another type: the provider's own list says what it supports.
      'c.yaml:2:7: error[manifest.kind]: provider f (type fake) has no kind Connector; it supports: Group, SecurityLevel, ServiceAccount',
    ]);
  });

  it('lists every kind when the document names no provider it can find', async () => {
    const r = await load({ 'p.yaml': FAKE_PROVIDER, 'x.yaml': resource('Grup', 'g', '{}', 'nowhere') }, [
      fake,
    ]);
    expect(r.lines).toEqual([
      'x.yaml:2:7: error[manifest.kind]: unknown kind Grup (did you mean Group?); kinds: Provider, Policy, Backend, and those of the provider types: SecurityLevel, Group, ServiceAccount',
    ]);
  });
});

describe('a fleet document read as a project', () => {
  it('says to run roster fleet', async () => {
    const dir = tree({ 'fleet.yaml': 'apiVersion: roster/v1\nkind: Fleet\nmetadata: { name: f }\n' });
    const r = await loadManifests({ paths: ['.'], cwd: dir, providers: [fake] });
    expect(r.diagnostics.map((d) => d.message)).toContain(
      "kind Fleet belongs to a fleet, not a project: run roster fleet validate|plan|apply|drift -f on the fleet's directory",
    );
  });
});
