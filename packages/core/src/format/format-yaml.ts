import {
  type Document,
  isMap,
  isScalar,
  LineCounter,
  parseAllDocuments,
  visit,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

/** Where a file that is no valid YAML first goes wrong. */
export interface FormatError {
  line: number;
  column: number;
  message: string;
}

/** What `formatManifestText` makes of one file: the canonical text, or the first YAML error. */
export type FormatResult = { ok: true; text: string; changed: boolean } | { ok: false; error: FormatError };

const ENVELOPE_ORDER = ['apiVersion', 'kind', 'metadata', 'deviation', 'exclude', 'spec', 'lifecycle'];
const METADATA_ORDER = ['name', 'provider', 'tenants', 'labels'];

/**
 * A `{ ref: name }` map (optionally with `output`): written in flow style, as the examples do —
 * unless a comment is inside it, which flow style would spread over several lines.
 */
function isRefMap(node: unknown): boolean {
  if (!isMap(node) || node.items.length === 0 || node.items.length > 2) return false;
  const commented = (n: unknown) => isScalar(n) && Boolean(n.comment || n.commentBefore);
  if (node.items.some((p) => commented(p.key) || commented(p.value))) return false;
  const keys = node.items.map((p) => (isScalar(p.key) ? p.key.value : undefined));
  return keys[0] === 'ref' && keys.every((k) => k === 'ref' || k === 'output');
}

/** Pairs of `map` with the keys of `order` first, in that order; the others keep theirs. */
function reorder(map: YAMLMap, order: readonly string[]): void {
  const rank = (key: unknown) => {
    const k = isScalar(key) ? key.value : undefined;
    const i = typeof k === 'string' ? order.indexOf(k) : -1;
    return i === -1 ? order.length : i;
  };
  // Array.prototype.sort is stable: keys outside `order` stay as written, after the known ones.
  map.items.sort((a, b) => rank(a.key) - rank(b.key));
}

/**
 * Flow maps padded (`{ ref: a }`), flow sequences not (`[list, view]`), as the examples are
 * written; the `yaml` library has one padding for both, so each collection sets it for itself.
 */
function padded(node: YAMLMap | YAMLSeq, padding: string): void {
  const own = node.toString.bind(node) as (...args: Parameters<YAMLMap['toString']>) => string;
  node.toString = (ctx, onComment, onChompKeep) =>
    own(ctx && { ...ctx, flowCollectionPadding: padding }, onComment, onChompKeep);
}

function canonical(doc: Document): void {
  const root = doc.contents;
  if (isMap(root)) {
    // A comment at the top of a document is about the document: it stays on top when keys move.
    const first = root.items[0]?.key;
    const top = isScalar(first) ? first.commentBefore : undefined;
    if (isScalar(first)) first.commentBefore = null;
    reorder(root, ENVELOPE_ORDER);
    const newFirst = root.items[0]?.key;
    if (top && isScalar(newFirst)) {
      newFirst.commentBefore = newFirst.commentBefore ? `${top}\n${newFirst.commentBefore}` : top;
    }
    const metadata = root.get('metadata', true);
    if (isMap(metadata)) reorder(metadata, METADATA_ORDER);
  }
  visit(doc, {
    Map(_, node) {
      if (isRefMap(node)) node.flow = true;
      padded(node, ' ');
    },
    Seq(_, node) {
      padded(node, '');
    },
  });
  // The separators are written by `formatManifestText`: exactly one `---` between documents.
  if (doc.directives) doc.directives.docStart = null;
}

/**
 * One manifest file in roster's canonical layout (see docs/design-notes.md, "roster fmt"):
 * envelope keys `apiVersion, kind, metadata, spec, lifecycle` (others after, as written),
 * metadata `name, provider, labels`, 2-space indentation, `{ ref: … }` maps in flow style, other
 * collections in the style they were written, no line folding, one `---` between documents, one
 * final newline. A file none of whose documents has `apiVersion: roster/…` is no manifest and
 * is returned as it is. Comments are kept (the `yaml` Document API), values never change. A file that is
 * not valid YAML is returned as its first error, never rewritten.
 */
export function formatManifestText(source: string): FormatResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (!Array.isArray(docs)) {
    // An empty stream: nothing but comments or whitespace.
    const text = source.trim() === '' ? '' : `${source.trimEnd()}\n`;
    return { ok: true, text, changed: text !== source };
  }
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const pos = lineCounter.linePos(err.pos[0]);
      return {
        ok: false,
        error: { line: pos.line, column: pos.col, message: err.message.split('\n')[0] ?? err.message },
      };
    }
  }
  // YAML that is no manifest (CI workflows, pnpm-lock.yaml next to manifests) is left alone.
  const isManifest = docs.some((doc) => {
    const v: unknown = isMap(doc.contents) ? doc.contents.get('apiVersion') : undefined;
    return typeof v === 'string' && v.startsWith('roster/');
  });
  if (!isManifest) return { ok: true, text: source, changed: false };
  const parts = docs.map((doc) => {
    canonical(doc);
    return doc.toString({ indent: 2, lineWidth: 0, flowCollectionPadding: true });
  });
  let text = parts.join('---\n').replace(/\n*$/, '\n');
  if (text.trim() === '') text = '';
  return { ok: true, text, changed: text !== source };
}
