import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  type Alias,
  type Document,
  isAlias,
  isCollection,
  isPair,
  isScalar,
  LineCounter,
  type Node,
  parseAllDocuments,
  visit,
  type YAMLError,
} from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { excerpt } from './excerpt.js';
import type { ManifestFile } from './find-files.js';
import { firstDeepFlow } from './flow-depth.js';
import { MANIFEST_LIMITS } from './limits.js';
import { setOwn } from './plain-data.js';
import { shieldReferences, unshieldString } from './shield.js';
import { parseSimpleYaml, type SimpleDocument } from './simple-yaml.js';
import { SourceMap, SourceMapShapes } from './source-map.js';
import type { SourcePosition } from './types.js';
import { firstInvalidUtf8 } from './utf8.js';

/** One YAML document of a manifest file, as plain data, with the map back to its source. */
export interface ParsedDocument {
  /** The file as messages name it (relative to the working directory). */
  file: string;
  /** Absolute directory of the file (`${file:…}` paths are relative to it). */
  dir: string;
  /** 0-based index of the document in its file, counting empty documents. */
  index: number;
  /** The document as JSON-compatible data (objects, arrays, strings, numbers, booleans, null). */
  value: unknown;
  start: SourcePosition;
  map: SourceMap;
  /** The file's text (shared by its documents): a CEL expression's error is placed in it. */
  text: string;
}

const MiB = 1024 * 1024;
/**
 * Unclosed `[`/`{` in one document past which a file is refused before parsing (see
 * `firstDeepFlow`): well above `maxDepth`, which the parsed document is then held to exactly.
 */
const FLOW_DEPTH_GUARD = 4 * MANIFEST_LIMITS.maxDepth;

/**
 * Read one manifest file and parse its YAML documents (`---` separated; empty ones skipped). Every
 * problem, including each limit of `MANIFEST_LIMITS` and every YAML error, becomes a diagnostic
 * with its position; nothing is thrown for bad input. A document with an error is left out, the
 * others of the file are kept so their own problems are reported in the same run.
 */
export async function parseManifestFile(
  file: ManifestFile,
): Promise<{ documents: ParsedDocument[]; diagnostics: Diagnostic[] }> {
  const fileError = (code: string, message: string, at?: { line: number; column: number }) =>
    refused(file, code, message, at);
  // At line 1: the whole file is refused, and every error names a line a person can open.
  const tooBig = (bytes: number) =>
    fileError(
      'manifest.limit',
      `file is ${count(bytes)} bytes; a manifest file may be at most ${MANIFEST_LIMITS.maxFileBytes / MiB} MiB (${count(MANIFEST_LIMITS.maxFileBytes)} bytes): split it into several files`,
      { line: 1, column: 1 },
    );

  // Size first, from the file system: an oversize file is refused without reading it.
  let bytes: Buffer;
  try {
    const st = await stat(file.path);
    if (st.size > MANIFEST_LIMITS.maxFileBytes) return tooBig(st.size);
    bytes = await readFile(file.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    return fileError('manifest.path', `cannot read the file (${code ?? 'unknown error'})`);
  }
  // The file may have grown between stat and read (or be a device).
  if (bytes.length > MANIFEST_LIMITS.maxFileBytes) return tooBig(bytes.length);

  const nul = bytes.indexOf(0);
  const invalid = firstInvalidUtf8(bytes);
  // Whichever comes first is reported, so the position is where the file stops being text.
  if (nul >= 0 && (invalid < 0 || nul < invalid)) {
    return fileError(
      'manifest.encoding',
      'NUL byte in the file: a manifest must be UTF-8 text',
      positionOfByte(bytes, nul),
    );
  }
  if (invalid >= 0) {
    return fileError(
      'manifest.encoding',
      `byte 0x${bytes[invalid]!.toString(16).padStart(2, '0')} is not valid UTF-8: a manifest must be UTF-8 text`,
      positionOfByte(bytes, invalid),
    );
  }
  return parseManifestText(file, new TextDecoder('utf-8').decode(bytes));
}

/**
 * Parse the text of a manifest file (see `parseManifestFile`). `reader: 'yaml'` skips the fast
 * reader of `simple-yaml.ts`, so tests can hold the two to the same result.
 */
export function parseManifestText(
  file: ManifestFile,
  text: string,
  reader: 'auto' | 'yaml' = 'auto',
): { documents: ParsedDocument[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fileError = (code: string, message: string, at?: { line: number; column: number }) =>
    refused(file, code, message, at);

  // Counting `---` lines first refuses a flood of documents before yaml builds them all (a 5 MiB
  // file of `---` lines is 1.3 million documents and several seconds of parsing).
  const markers = text.match(/^---(?=[ \t\r\n]|$)/gm)?.length ?? 0;
  if (markers > MANIFEST_LIMITS.maxDocumentsPerFile) {
    return tooManyDocuments(markers, lineOfMarker(text, MANIFEST_LIMITS.maxDocumentsPerFile + 1));
  }

  const deepFlow = firstDeepFlow(text, FLOW_DEPTH_GUARD);
  if (deepFlow >= 0) {
    const before = text.slice(0, deepFlow);
    return fileError('manifest.limit', `nesting deeper than ${MANIFEST_LIMITS.maxDepth} levels`, {
      line: before.split('\n').length,
      column: [...before.slice(before.lastIndexOf('\n') + 1)].length + 1,
    });
  }

  const shielded = shieldReferences(text);
  const simple = reader === 'auto' ? parseSimpleYaml(shielded, MANIFEST_LIMITS.maxDepth) : undefined;
  if (simple) return { documents: simpleDocuments(file, shielded, simple), diagnostics };

  const lines = new LineCounter();
  // Without a `&` no node has an anchor, so no alias resolves and none can be circular: the walk
  // looking for one is skipped (an unresolved alias is reported when the document is read).
  const mayHaveAnchors = shielded.includes('&');
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(shielded, {
      lineCounter: lines,
      prettyErrors: true,
      // Duplicate keys are an error, not "last one wins": a reviewer would read the first.
      uniqueKeys: true,
      // YAML 1.2 core everywhere, even under a `%YAML 1.1` directive: `off` stays the string "off",
      // and no Date, Set or Buffer values reach validation.
      schema: 'core',
    }) as Document.Parsed[];
  } catch (err) {
    return fileError('manifest.yaml', `cannot parse the file: ${firstLine(err)}`);
  }
  if (!Array.isArray(docs)) docs = [];
  if (docs.length > MANIFEST_LIMITS.maxDocumentsPerFile) {
    const first = docs[MANIFEST_LIMITS.maxDocumentsPerFile]?.range[0] ?? 0;
    return tooManyDocuments(docs.length, lines.linePos(first).line);
  }

  const documents: ParsedDocument[] = [];
  // The documents of a file mostly share their pointers (a file of users): one table for them all.
  const shapes = new SourceMapShapes();
  for (const [index, doc] of docs.entries()) {
    const map = new SourceMap(file.display, lines, doc.contents?.range[0] ?? doc.range[0]);
    const error = (code: string, message: string, at: SourcePosition) =>
      diagnostics.push({ severity: 'error', code, message, ...at });

    if (doc.errors.length > 0) {
      reportYamlErrors(doc, map, diagnostics);
      continue;
    }
    for (const w of doc.warnings) {
      diagnostics.push({
        severity: 'warning',
        code: 'manifest.yaml',
        message: yamlMessage(w),
        ...where(w, map),
      });
    }
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;

    const deep = firstTooDeep(doc.contents);
    if (deep) {
      error(
        'manifest.limit',
        `nesting deeper than ${MANIFEST_LIMITS.maxDepth} levels`,
        map.at(deep.range?.[0] ?? 0),
      );
      continue;
    }
    const circular = mayHaveAnchors ? circularAlias(doc) : undefined;
    if (circular) {
      error(
        'manifest.yaml',
        `alias *${circular.source} is inside its own anchor &${circular.source}: that would be an endless value`,
        map.at(circular.range?.[0] ?? 0),
      );
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MANIFEST_LIMITS.maxAliasCount });
    } catch (err) {
      if (err instanceof ReferenceError && /alias/i.test(err.message)) {
        error(
          'manifest.limit',
          `aliases expand too much (more than ${MANIFEST_LIMITS.maxAliasCount} expansions): write the values out, or use fewer nested aliases`,
          map.at(firstAlias(doc)?.range?.[0] ?? doc.contents.range[0]),
        );
      } else if (err instanceof RangeError) {
        error('manifest.limit', `nesting deeper than ${MANIFEST_LIMITS.maxDepth} levels`, map.start());
      } else {
        error('manifest.yaml', `cannot read the document: ${firstLine(err)}`, map.start());
      }
      continue;
    }
    // Aliases can nest a deep anchor inside another deep one: check the expanded value too.
    if (depthExceeds(value, MANIFEST_LIMITS.maxDepth)) {
      error(
        'manifest.limit',
        `nesting deeper than ${MANIFEST_LIMITS.maxDepth} levels (through aliases)`,
        map.start(),
      );
      continue;
    }
    documents.push({
      file: file.display,
      dir: path.dirname(file.path),
      index,
      value: unshieldReferences(value),
      start: map.index(doc, shapes).start(),
      map,
      text,
    });
  }
  return { documents, diagnostics };

  /** At the first document past the limit. */
  function tooManyDocuments(documents: number, line: number) {
    return fileError(
      'manifest.limit',
      `more than ${count(MANIFEST_LIMITS.maxDocumentsPerFile)} documents in one file (${count(documents)}): split it into several files`,
      { line, column: 1 },
    );
  }
}

/** The whole file refused with one diagnostic. */
function refused(
  file: ManifestFile,
  code: string,
  message: string,
  at?: { line: number; column: number },
): { documents: ParsedDocument[]; diagnostics: Diagnostic[] } {
  return {
    documents: [],
    diagnostics: [{ severity: 'error', code, message, file: file.display, ...(at ?? {}) }],
  };
}

/** The documents read by `simple-yaml.ts`, with source maps over the same offsets `yaml` would give. */
function simpleDocuments(file: ManifestFile, text: string, docs: SimpleDocument[]): ParsedDocument[] {
  // As yaml's LineCounter is fed: the start of the text, then the offset after each newline.
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) lines.addNewLine(nl + 1);
  const shapes = new SourceMapShapes();
  const dir = path.dirname(file.path);
  const out: ParsedDocument[] = [];
  for (const doc of docs) {
    const map = new SourceMap(file.display, lines, doc.start).record(
      doc.pointers,
      doc.values,
      doc.keys,
      shapes,
    );
    out.push({
      file: file.display,
      dir,
      index: doc.index,
      value: doc.value,
      start: map.start(),
      map,
      text,
    });
  }
  return out;
}

function reportYamlErrors(doc: Document.Parsed, map: SourceMap, out: Diagnostic[]): void {
  // yaml reports a stack overflow on absurd nesting as one error per level: one line is enough, at
  // the document (where the overflow happened depends on the stack size, not on the input).
  if (doc.errors.some((e) => e.code === 'RESOURCE_EXHAUSTION')) {
    out.push({
      severity: 'error',
      code: 'manifest.limit',
      message: `nesting deeper than ${MANIFEST_LIMITS.maxDepth} levels`,
      ...map.at(doc.range[0]),
    });
    return;
  }
  for (const e of doc.errors) {
    const duplicate = e.code === 'DUPLICATE_KEY' ? duplicateKeyAt(doc, e.pos[0]) : undefined;
    if (duplicate) {
      out.push({
        severity: 'error',
        code: 'manifest.duplicate-key',
        message: `duplicate key ${excerpt(duplicate.key)} (first at line ${map.at(duplicate.firstOffset).line}): a key may appear only once in a mapping`,
        ...where(e, map),
      });
    } else {
      out.push({ severity: 'error', code: 'manifest.yaml', message: yamlMessage(e), ...where(e, map) });
    }
  }
}

/** The key repeated at `offset`, and where it first appears in its mapping. */
function duplicateKeyAt(
  doc: Document.Parsed,
  offset: number,
): { key: string; firstOffset: number } | undefined {
  let found: { key: string; firstOffset: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const repeated = map.items.find((p) => isScalar(p.key) && p.key.range?.[0] === offset);
      if (!repeated || !isScalar(repeated.key)) return undefined;
      const key = repeated.key.value;
      const first = map.items.find((p) => isScalar(p.key) && p.key.value === key);
      found = {
        key: unshieldString(String(key)),
        firstOffset: (first?.key as Node | undefined)?.range?.[0] ?? offset,
      };
      return visit.BREAK;
    },
  });
  return found;
}

/** The line of the `n`-th (1-based) `---` document marker. */
function lineOfMarker(text: string, n: number): number {
  const re = /^---(?=[ \t\r\n]|$)/gm;
  let seen = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (++seen === n) return text.slice(0, m.index).split('\n').length;
  }
  return 1;
}

/** Line and column (in characters, 1-based) of a byte offset; the bytes before it are valid UTF-8. */
function positionOfByte(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = new TextDecoder().decode(bytes.subarray(0, offset));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: [...before.slice(lineStart)].length + 1 };
}

/** `5242880` → `5,242,880`, whatever the locale. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

function where(e: YAMLError, map: SourceMap): SourcePosition {
  return map.at(e.pos[0]);
}

/** yaml's message without the ` at line L, column C:` and source excerpt that `prettyErrors` appends. */
function yamlMessage(e: YAMLError): string {
  const first = e.message.split('\n')[0] ?? 'invalid YAML';
  // The parser's messages may quote the source (a tag, an alias): never more than a short piece.
  return excerpt(unshieldString(first.replace(/ at line \d+, column \d+:?$/, '')), 160, 120);
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0] ?? '';
}

/** The first collection nested deeper than the limit, found without recursion (the input may be deep). */
function firstTooDeep(root: Node): Node | undefined {
  const stack: Array<[Node, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isCollection(node)) continue;
    if (depth > MANIFEST_LIMITS.maxDepth) return node;
    for (const item of [...node.items].reverse()) {
      if (isPair(item)) {
        if (item.value) stack.push([item.value as Node, depth + 1]);
        if (item.key && isCollection(item.key)) stack.push([item.key as Node, depth + 1]);
      } else stack.push([item as Node, depth + 1]);
    }
  }
  return undefined;
}

function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** An alias used inside the node it refers to (`&a [*a]`): yaml would build a circular value. */
function circularAlias(doc: Document.Parsed): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_, node, path) {
      const target = node.resolve(doc);
      if (target && path.includes(target as never)) {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function firstAlias(doc: Document.Parsed): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Alias(_, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found && isAlias(found) ? found : undefined;
}

function unshieldReferences(value: unknown): unknown {
  if (typeof value === 'string') return unshieldString(value);
  if (Array.isArray(value)) return value.map(unshieldReferences);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, unshieldString(k), unshieldReferences(v));
    return out;
  }
  return value;
}
