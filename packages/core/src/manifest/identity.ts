import type { ParsedDocument } from './parse.js';
import { isPlainObject } from './plain-data.js';
import type { Lifecycle, ManifestDocument } from './types.js';

/**
 * Kinds that belong to the project, not to a provider: no `metadata.provider`. Core's own concepts;
 * every other kind is a resource kind some provider declares (`resourceKinds`).
 */
export const PROJECT_KINDS: ReadonlySet<string> = new Set(['Provider', 'Policy', 'Backend']);

/** `<provider>/<Kind>/<name>` of a resource, `Provider/<name>` of a Provider document. */
export function addressOf(kind: string, name: string, provider?: string): string {
  return PROJECT_KINDS.has(kind) ? `${kind}/${name}` : `${provider}/${kind}/${name}`;
}

/**
 * The document as a `ManifestDocument`, when enough of it is right to know what it is: a project
 * kind or one of `resourceKinds` (those the registered providers declare), a string name and (for resources) provider, an object spec. Anything else the envelope
 * validation has already reported; a document that cannot be identified is checked no further.
 * Other envelope errors (a badly formed name, an unknown lifecycle field) do not stop it, so the
 * problems of its spec are reported in the same run.
 */
export function identify(
  parsed: ParsedDocument,
  value: Record<string, unknown>,
  resourceKinds: ReadonlySet<string>,
): ManifestDocument | undefined {
  const { kind, metadata, spec, lifecycle } = value;
  if (typeof kind !== 'string' || !(PROJECT_KINDS.has(kind) || resourceKinds.has(kind))) return undefined;
  if (!isPlainObject(metadata) || typeof metadata.name !== 'string') return undefined;
  const provider = metadata.provider;
  if (!PROJECT_KINDS.has(kind) && typeof provider !== 'string') return undefined;
  if (spec !== undefined && !isPlainObject(spec)) return undefined;
  const labels = isPlainObject(metadata.labels)
    ? (Object.fromEntries(Object.entries(metadata.labels).filter(([, v]) => typeof v === 'string')) as Record<
        string,
        string
      >)
    : {};
  const map = parsed.map;
  return {
    apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : '',
    kind,
    name: metadata.name,
    ...(!PROJECT_KINDS.has(kind) ? { provider: provider as string } : {}),
    labels,
    spec: spec ?? {},
    lifecycle: isPlainObject(lifecycle) ? (lifecycle as Lifecycle) : {},
    address: addressOf(kind, metadata.name, provider as string | undefined),
    source: {
      file: parsed.file,
      index: parsed.index,
      start: parsed.start,
      positionOf: (pointer) => map.positionOf(pointer),
    },
  };
}
