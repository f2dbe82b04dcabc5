import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
} from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import type { SourcePosition } from './types.js';

/** Limits on manifest input, so hostile files fail with a message rather than exhaust the machine. */
export const MANIFEST_LIMITS = {
  /** Bytes per file. */
  maxFileBytes: 5 * 1024 * 1024,
  /** Documents per file. */
  maxDocumentsPerFile: 10_000,
  /** Alias expansions per document (yaml's billion-laughs guard). */
  maxAliasCount: 100,
  /** Nesting depth of a document. */
  maxDepth: 64,
} as const;

/** One parsed YAML document with a way to find where any JSON pointer is. */
export interface ParsedDocument {
  file: string;
  index: number;
  value: unknown;
  start: SourcePosition;
  /** Position of the value at `pointer`, or of its key when `key` is true; nearest ancestor if missing. */
  locate(pointer: string, key?: boolean): SourcePosition;
}

/** All manifest files under the given paths (files as given; directories recursively, `.yaml`/`.yml`). */
export async function findManifestFiles(
  paths: readonly string[],
  cwd: string,
): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(abs);
    } catch {
      diagnostics.push({
        severity: 'error',
        code: 'manifest.path',
        message: `${p}: no such file or directory (give -f a manifest file or a directory of them)`,
      });
      continue;
    }
    if (st.isDirectory()) files.push(...(await walk(abs)));
    else files.push(abs);
  }
  return { files: [...new Set(files)], diagnostics };
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (/\.ya?ml$/i.test(e.name)) out.push(p);
  }
  return out;
}

/** Read and parse one manifest file into documents; every problem becomes a diagnostic. */
export async function parseManifestFile(
  abs: string,
  display: string,
): Promise<{ documents: ParsedDocument[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string, pos?: { line: number; column: number }) => {
    diagnostics.push({ severity: 'error', code: 'manifest.syntax', message, file: display, ...(pos ?? {}) });
    return { documents: [], diagnostics };
  };
  let size: number;
  try {
    size = (await stat(abs)).size;
  } catch {
    return fail('cannot read the file');
  }
  if (size > MANIFEST_LIMITS.maxFileBytes) {
    return fail(
      `file is ${size} bytes; manifests are limited to ${MANIFEST_LIMITS.maxFileBytes} bytes per file`,
    );
  }
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch {
    return fail('cannot read the file');
  }
  const lineCounter = new LineCounter();
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const before = text.slice(0, nul);
    const line = before.split('\n').length;
    const col = nul - before.lastIndexOf('\n');
    return fail('NUL byte in the file: manifests must be text', { line, column: col });
  }
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(shieldReferences(text), {
      lineCounter,
      prettyErrors: true,
      uniqueKeys: true,
    }) as Document.Parsed[];
  } catch (err) {
    return fail(`cannot parse the file: ${err instanceof RangeError ? 'nesting is too deep' : String(err)}`);
  }
  if (!Array.isArray(docs)) docs = [];
  if (docs.length > MANIFEST_LIMITS.maxDocumentsPerFile) {
    return fail(`${docs.length} documents in one file; the limit is ${MANIFEST_LIMITS.maxDocumentsPerFile}`);
  }
  const documents: ParsedDocument[] = [];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = e.linePos?.[0];
        diagnostics.push({
          severity: 'error',
          code: 'manifest.syntax',
          message: (e.message.split('\n')[0] ?? 'YAML syntax error').replace(
            / at line \d+, column \d+:?$/,
            '',
          ),
          file: display,
          ...(pos ? { line: pos.line, column: pos.col } : {}),
        });
      }
      return;
    }
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return; // empty document
    const startPos = lineCounter.linePos(doc.contents.range?.[0] ?? 0);
    let value: unknown;
    try {
      value = unshieldReferences(doc.toJS({ maxAliasCount: MANIFEST_LIMITS.maxAliasCount }));
    } catch (err) {
      const msg = String((err as Error)?.message ?? err);
      diagnostics.push({
        severity: 'error',
        code: 'manifest.syntax',
        message: /alias/i.test(msg)
          ? `too many alias expansions (limit ${MANIFEST_LIMITS.maxAliasCount}): ${msg}`
          : err instanceof RangeError
            ? 'nesting is too deep'
            : `cannot read the document: ${msg}`,
        file: display,
        line: startPos.line,
        column: startPos.col,
      });
      return;
    }
    const depth = depthOf(value, MANIFEST_LIMITS.maxDepth + 1);
    if (depth > MANIFEST_LIMITS.maxDepth) {
      diagnostics.push({
        severity: 'error',
        code: 'manifest.syntax',
        message: `nesting deeper than ${MANIFEST_LIMITS.maxDepth} levels`,
        file: display,
        line: startPos.line,
        column: startPos.col,
      });
      return;
    }
    documents.push({
      file: display,
      index,
      value,
      start: { file: display, line: startPos.line, column: startPos.col },
      locate: (pointer, key = false) => {
        const offset = offsetOf(doc, pointer, key);
        const { line, col } = lineCounter.linePos(offset);
        return { file: display, line, column: col };
      },
    });
  });
  return { documents, diagnostics };
}

// `${env:X}` written unquoted inside a flow mapping (`{ key: ${env:X} }`) is not valid YAML: the
// braces are flow indicators. Before parsing, each reference's braces become look-alike characters
// (same length, so every column stays right); after parsing they are turned back.
const OPEN = '\u2045';
const CLOSE = '\u2046';

function shieldReferences(text: string): string {
  return text.replace(/\$\{((?:env|file):[^}\s,[\]{}]+)\}/g, `$${OPEN}$1${CLOSE}`);
}

function unshieldReferences(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.includes(OPEN) ? value.replace(/\$\u2045([^\u2046]*)\u2046/g, '$${$1}') : value;
  }
  if (Array.isArray(value)) return value.map(unshieldReferences);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = unshieldReferences(v);
    return out;
  }
  return value;
}

function depthOf(value: unknown, cap: number, depth = 0): number {
  if (depth >= cap || value === null || typeof value !== 'object') return depth;
  let max = depth;
  for (const v of Object.values(value)) {
    max = Math.max(max, depthOf(v, cap, depth + 1));
    if (max >= cap) break;
  }
  return max;
}

/** Split an RFC 6901 pointer into unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Character offset of the node at `pointer` (or its key), falling back to the nearest ancestor. */
function offsetOf(doc: Document.Parsed, pointer: string, wantKey: boolean): number {
  let node: Node | null = doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  const segments = pointerSegments(pointer);
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (node && isAlias(node)) node = (node.resolve(doc) as Node | undefined) ?? null;
    if (node && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) return offset;
      const keyNode = pair.key as Node;
      if (last && wantKey) return keyNode.range?.[0] ?? offset;
      const valueNode = pair.value as Node | null;
      offset = valueNode?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      node = valueNode;
    } else if (node && isSeq(node)) {
      const item = node.items[Number(seg)] as Node | undefined;
      if (!item) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else return offset;
  }
  return offset;
}
