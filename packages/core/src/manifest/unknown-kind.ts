import type { Diagnostic } from '../diagnostics.js';
import type { Provider } from '../provider.js';
import { excerpt } from './excerpt.js';
import { PROJECT_KINDS } from './identity.js';
import { isPlainObject } from './plain-data.js';
import type { SourceMap } from './source-map.js';
import { didYouMean } from './suggest.js';
import type { ManifestDocument } from './types.js';

/** A document whose `kind` is a string no registered provider declares (and no project kind). */
export interface UnknownKindDocument {
  kind: string;
  value: Record<string, unknown>;
  map: SourceMap;
}

/**
 * The error at an unknown kind's line: the nearest known kind, and what the document's provider
 * has when it names one whose type is known (the likeliest fix), else every kind there is. Called
 * once every Provider document is read, since a resource may come before its provider.
 */
export function unknownKindDiagnostic(
  doc: UnknownKindDocument,
  known: readonly string[],
  providerDocs: ReadonlyMap<string, ManifestDocument>,
  byType: ReadonlyMap<string, Provider>,
): Diagnostic {
  if (doc.kind === 'Fleet' || doc.kind === 'Tenant') {
    // A fleet's own documents, read as a project by mistake (roster validate -f FLEETDIR).
    return {
      severity: 'error',
      code: 'manifest.kind',
      message: `kind ${doc.kind} belongs to a fleet, not a project: run roster fleet validate|plan|apply|drift -f on the fleet's directory`,
      ...doc.map.positionOf('/kind'),
    };
  }
  const candidates = [...PROJECT_KINDS, ...known];
  const named = isPlainObject(doc.value.metadata) ? doc.value.metadata.provider : undefined;
  const type = typeof named === 'string' ? providerDocs.get(named)?.spec.type : undefined;
  const provider = typeof type === 'string' ? byType.get(type) : undefined;
  const has = provider
    ? `provider ${named as string} (type ${provider.type}) has: ${Object.keys(provider.kinds).sort().join(', ') || 'no kinds'}`
    : `kinds: ${[...PROJECT_KINDS].join(', ')}, and those of the provider types: ${known.join(', ') || 'none'}`;
  return {
    severity: 'error',
    code: 'manifest.kind',
    message: `unknown kind ${excerpt(doc.kind)}${didYouMean(doc.kind, candidates)}; ${has}`,
    ...doc.map.positionOf('/kind'),
  };
}
