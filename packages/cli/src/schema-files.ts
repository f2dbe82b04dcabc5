import {
  BACKEND_SPEC_SCHEMA,
  buildEnvelopeSchema,
  FLEET_SCHEMA,
  POLICY_SPEC_SCHEMA,
  REVIEW_FILE_SCHEMA,
  TENANT_SCHEMA,
  withReadCredentials,
} from '@roster/core';
import { builtinProviders } from './providers.js';

/**
 * The published JSON Schema files generated from the built-in providers: the manifest envelope
 * (whose kinds are those the providers declare), and per provider one per kind plus the Provider
 * document's spec. Paths are relative to `schemas/`.
 */
export function providerSchemaFiles(): Array<{ file: string; content: string }> {
  const out: Array<{ file: string; content: string }> = [
    {
      file: 'manifest.schema.json',
      content: `${JSON.stringify(buildEnvelopeSchema(builtinProviders), null, 2)}\n`,
    },
    // The spec of a kind: Policy document (core's, for every project).
    { file: 'Policy.schema.json', content: `${JSON.stringify(POLICY_SPEC_SCHEMA, null, 2)}\n` },
    { file: 'Backend.schema.json', content: `${JSON.stringify(BACKEND_SPEC_SCHEMA, null, 2)}\n` },
    // Fleet mode's own documents (whole documents: fleet.yaml and tenants/<name>/tenant.yaml).
    { file: 'Fleet.schema.json', content: `${JSON.stringify(FLEET_SCHEMA, null, 2)}\n` },
    { file: 'Tenant.schema.json', content: `${JSON.stringify(TENANT_SCHEMA, null, 2)}\n` },
    // The access review file (`roster review start` writes it, reviewers edit it).
    { file: 'review.schema.json', content: `${JSON.stringify(REVIEW_FILE_SCHEMA, null, 2)}\n` },
  ];
  for (const p of builtinProviders) {
    out.push({
      file: `${p.type}/Provider.schema.json`,
      // Published as roster validates it: with core's `credentials.read`.
      content: `${JSON.stringify(withReadCredentials(p.configSchema), null, 2)}\n`,
    });
    for (const [kind, def] of Object.entries(p.kinds)) {
      out.push({
        file: `${p.type}/${kind}.schema.json`,
        content: `${JSON.stringify(def.schema, null, 2)}\n`,
      });
    }
  }
  return out;
}
