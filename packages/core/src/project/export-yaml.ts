import { Document, isMap, isNode, isScalar, type Node, visit } from 'yaml';
import { isGuarded } from '../plan/guard-privileges.js';
import type { Provider } from '../provider.js';
import { type ExportedManifest, kebabOf } from './export-manifests.js';

/** One file `roster export --out DIR` writes. */
export interface ExportFile {
  /** `<provider>-<kind-kebab>.yaml`. */
  file: string;
  kind: string;
  count: number;
  text: string;
}

/** A `{ ref: name }` map. */
function isRefMap(node: unknown): boolean {
  return (
    isMap(node) &&
    node.items.length === 1 &&
    isScalar(node.items[0]?.key) &&
    node.items[0].key.value === 'ref'
  );
}

/**
 * Short lists and references in flow style, as hand-written manifests have them
 * (`roles: [{ ref: ap-sync }]`, `[list, view]`), so an exported file reads like the examples.
 */
function flowStyle(doc: Document): void {
  visit(doc, {
    Map(_, node) {
      if (isRefMap(node)) node.flow = true;
    },
    Seq(_, node) {
      if (node.items.every((i: unknown) => isScalar(i) || isRefMap(i))) node.flow = true;
    },
  });
}

/** The TODO comment of a placeholder: what to write there. */
function todoFor(provider: Provider | undefined, kind: string, key: string): string {
  const rule = provider?.kinds[kind]?.attributes[key];
  // A guarded privilege left out would mean "none": a person says what it is, or deletes the line.
  const none = isGuarded(rule) ? ', or delete this line if it has none' : '';
  return rule?.ref
    ? ` TODO: { ref: <metadata.name of its ${rule.ref}> }${none}; the system cannot report it`
    : ` TODO: ${key} as it is in the system${none}; the system cannot report it`;
}

/** One manifest as a YAML document (without the `---` separator). */
export function manifestYaml(providerName: string, m: ExportedManifest, provider?: Provider): string {
  const doc = new Document({
    apiVersion: 'roster/v1',
    kind: m.kind,
    metadata: { name: m.name, provider: providerName },
    spec: m.spec,
  });
  if (m.placeholders.length > 0) {
    doc.commentBefore = ` TODO: the system does not report ${m.placeholders.join(', ')}: fill in each value marked TODO.\n Until then roster refuses this manifest (null is not a valid value), so nothing is adopted on a guess.`;
    for (const key of m.placeholders) {
      const node: unknown = doc.getIn(['spec', key], true);
      if (isNode(node)) (node as Node).comment = todoFor(provider, m.kind, key);
    }
  }
  flowStyle(doc);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Every manifest as one YAML stream, documents separated by `---` (what stdout gets). */
export function manifestsYaml(
  providerName: string,
  manifests: readonly ExportedManifest[],
  provider?: Provider,
): string {
  return manifests.map((m) => manifestYaml(providerName, m, provider)).join('---\n');
}

/** One file per kind, named `<provider>-<kind-kebab>.yaml`, with a header saying where it came from. */
export function exportFiles(
  providerName: string,
  manifests: readonly ExportedManifest[],
  provider?: Provider,
): ExportFile[] {
  const byKind = new Map<string, ExportedManifest[]>();
  for (const m of manifests) {
    const list = byKind.get(m.kind) ?? [];
    list.push(m);
    byKind.set(m.kind, list);
  }
  return [...byKind].map(([kind, list]) => ({
    file: `${providerName}-${kebabOf(kind)}.yaml`,
    kind,
    count: list.length,
    text: `# ${kind} objects of ${providerName}, written by \`roster export --provider ${providerName}\` from what the system has.\n${manifestsYaml(providerName, list, provider)}`,
  }));
}
