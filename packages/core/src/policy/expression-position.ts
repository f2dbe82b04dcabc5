import type { SourcePosition } from '../manifest/types.js';

/**
 * Where character `index` of a YAML string scalar's value lies in the file, given the file's text
 * and the position of the scalar (its first character: a quote, a block indicator `|`/`>`, or the
 * value itself when plain). So a CEL error points at the very token, whatever way the manifest
 * writes the expression. Escapes (`\"`, `''`) count as one character of the value, and a line
 * break with the next line's indentation as one (a newline, or the space folding makes of it).
 */
export function positionInScalar(text: string, scalar: SourcePosition, index: number): SourcePosition {
  let pos = offsetOf(text, scalar.line, scalar.column);
  const first = text[pos];
  const quote = first === '"' || first === "'" ? first : undefined;
  let indent: number | undefined;
  if (quote) pos++;
  else if (first === '|' || first === '>') {
    const nl = text.indexOf('\n', pos);
    pos = nl < 0 ? text.length : nl + 1;
    indent = 0;
    while (text[pos + indent] === ' ') indent++;
    pos += indent;
  }
  for (let n = 0; n < index && pos < text.length; n++) {
    const c = text[pos];
    if (c === '\n' || (c === '\r' && text[pos + 1] === '\n')) {
      pos += c === '\r' ? 2 : 1;
      // A block scalar keeps indentation beyond its own; other scalars fold all of it away.
      let skip = 0;
      while (text[pos + skip] === ' ' && (indent === undefined || skip < indent)) skip++;
      pos += skip;
    } else if (quote === '"' && c === '\\') pos += escapeLength(text, pos);
    else if (quote === "'" && c === "'" && text[pos + 1] === "'") pos += 2;
    else pos++;
  }
  return { file: scalar.file, ...lineAndColumn(text, pos) };
}

function escapeLength(text: string, pos: number): number {
  const kind = text[pos + 1];
  if (kind === 'x') return 4;
  if (kind === 'u') return 6;
  if (kind === 'U') return 10;
  return 2;
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return offset + column - 1;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    start = nl + 1;
  }
  return { line, column: offset - start + 1 };
}
