import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProjectSchema, loadManifests, providerInstances } from '@roster/core';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { builtinProviders } from './providers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const examples = path.join(root, 'examples');

/** The project schema of a manifest directory, compiled by ajv's draft-07 validator. */
async function projectValidator(dir: string): Promise<{ validate: ValidateFunction; files: string[] }> {
  const loaded = await loadManifests({ paths: [dir], cwd: root, providers: builtinProviders });
  const instances = providerInstances(loaded.documents);
  expect(instances.size, `Provider documents in ${dir}`).toBeGreaterThan(0);
  const schema = buildProjectSchema({ instances, providers: builtinProviders });
  const ajv = new Ajv({ allErrors: true, strict: false });
  return { validate: ajv.compile(schema), files: loaded.files };
}

function documentsOf(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS());
}

const projects = readdirSync(examples).filter(
  (d) =>
    statSync(path.join(examples, d)).isDirectory() &&
    readdirSync(path.join(examples, d)).some((f) => f.endsWith('.yaml')) &&
    // A fleet is no project: its baseline and tenants are checked by roster fleet validate.
    !readdirSync(path.join(examples, d)).includes('fleet.yaml'),
);

describe('project schema (roster schema)', () => {
  it('covers the example projects', () => {
    expect(projects).toEqual(expect.arrayContaining(['afas', 'company', 'intacct', 'quickstart']));
  });

  it('is draft-07 throughout: no keyword of a later draft inlined from the kind schemas', async () => {
    const loaded = await loadManifests({
      paths: ['examples/company'],
      cwd: root,
      providers: builtinProviders,
    });
    const text = JSON.stringify(
      buildProjectSchema({ instances: providerInstances(loaded.documents), providers: builtinProviders }),
    );
    expect(JSON.parse(text).$schema).toBe('http://json-schema.org/draft-07/schema#');
    for (const later of [
      '$defs',
      'prefixItems',
      'unevaluatedProperties',
      'unevaluatedItems',
      'dependentRequired',
      'dependentSchemas',
      '$dynamicRef',
      '"$id"',
      '"$schema":"https',
    ]) {
      expect(text).not.toContain(later);
    }
  });

  it.each(projects)('accepts every document of examples/%s', async (dir) => {
    const { validate, files } = await projectValidator(path.join('examples', dir));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      for (const [i, doc] of documentsOf(readFileSync(path.join(root, file), 'utf8')).entries()) {
        const ok = validate(doc);
        expect(ok ? [] : validate.errors, `${file} document ${i + 1}`).toEqual([]);
      }
    }
  });

  const quickstartAccounts = () =>
    readFileSync(path.join(examples, 'quickstart/service-accounts.yaml'), 'utf8');

  it.each([
    ['spec.emial (misspelt field)', 'email: ws-invoice', 'emial: ws-invoice', 'emial'],
    ['adminPrivileges: fulll', 'adminPrivileges: off', 'adminPrivileges: fulll', '/spec/adminPrivileges'],
    ['status: Active', 'status: active', 'status: Active', '/spec/status'],
  ])('refuses %s in a ServiceAccount', async (_name, from, to, where) => {
    const { validate } = await projectValidator('examples/quickstart');
    const [first] = documentsOf(quickstartAccounts().replace(from, to));
    expect(validate(first)).toBe(false);
    const seen = (validate.errors ?? []).map((e) =>
      e.keyword === 'additionalProperties'
        ? (e.params as { additionalProperty: string }).additionalProperty
        : e.instancePath,
    );
    expect(seen).toContain(where);
  });

  it('holds a resource to its provider instance type, not to another provider type', async () => {
    // company has providers of several types: an Intacct ServiceAccount spec named to an AFAS
    // provider is held to AFAS's ServiceAccount schema and refused.
    const { validate } = await projectValidator('examples/company');
    const text = readFileSync(path.join(examples, 'company/intacct-accounts.yaml'), 'utf8');
    const doc = documentsOf(text)[0] as { metadata: { provider: string } };
    expect(validate(doc)).toBe(true);
    expect(validate({ ...doc, metadata: { ...doc.metadata, provider: 'afas-sandbox' } })).toBe(false);
    expect(validate({ ...doc, metadata: { ...doc.metadata, provider: 'no-such-provider' } })).toBe(false);
  });

  it('holds a Provider document to its type schema', async () => {
    const { validate } = await projectValidator('examples/quickstart');
    const text = readFileSync(path.join(examples, 'quickstart/provider.yaml'), 'utf8');
    const provider = documentsOf(text)[0] as { spec: Record<string, unknown> };
    expect(validate(provider)).toBe(true);
    expect(validate({ ...provider, spec: { ...provider.spec, endpiont: 'x' } })).toBe(false);
  });
});
