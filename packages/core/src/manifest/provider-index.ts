import type { KindDefinition, Provider } from '../provider.js';
import type { ManifestDocument } from './types.js';

/**
 * Which provider code handles which document: a Provider document names its code by `spec.type`,
 * a resource names its Provider document by `metadata.provider`.
 */
export interface ProviderIndex {
  /** Provider code by type (the first one given wins). */
  byType: ReadonlyMap<string, Provider>;
  /** Provider documents by `metadata.name`. */
  documents: ReadonlyMap<string, ManifestDocument>;
  /** The code of a Provider document, or of the Provider document a resource names. */
  providerOf(doc: ManifestDocument): Provider | undefined;
  /** The kind definition of a resource, when its provider is known and has the kind. */
  kindOf(doc: ManifestDocument): KindDefinition | undefined;
}

/** Index `documents` (all of them, or just the Provider documents) against the provider code in `providers`. */
export function indexProviders(
  documents: readonly ManifestDocument[],
  providers: readonly Provider[],
): ProviderIndex {
  const byType = new Map<string, Provider>();
  for (const p of providers) if (!byType.has(p.type)) byType.set(p.type, p);
  const docs = new Map<string, ManifestDocument>();
  for (const d of documents) if (d.kind === 'Provider' && !docs.has(d.name)) docs.set(d.name, d);
  const codeOf = (providerDoc: ManifestDocument | undefined) =>
    typeof providerDoc?.spec.type === 'string' ? byType.get(providerDoc.spec.type) : undefined;
  const providerOf = (doc: ManifestDocument) =>
    doc.kind === 'Provider'
      ? codeOf(doc)
      : codeOf(doc.provider === undefined ? undefined : docs.get(doc.provider));
  return {
    byType,
    documents: docs,
    providerOf,
    kindOf: (doc) => (doc.kind === 'Provider' ? undefined : providerOf(doc)?.kinds[doc.kind]),
  };
}
