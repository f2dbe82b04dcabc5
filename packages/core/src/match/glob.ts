/**
 * `*` wildcards matched without a regular expression. A pattern compiled to `^a.*b.*c$` is matched
 * by a backtracking engine in time exponential in the number of stars on a value that almost
 * matches (8 stars against a 63-character address: past two minutes). Here the literal pieces
 * between stars are looked for once each, left to right, at their leftmost place after the previous
 * one: for a pattern of only literals and `*` the leftmost place is always a right one, so nothing
 * is ever tried twice and the time is linear in the length of the value (times the length of the
 * piece looked for, with `indexOf`).
 *
 * Semantics: `*` matches any run of characters, the empty one and `/` included; every other
 * character matches itself (no `?`, no classes, no escapes); the whole value must match.
 */

/** A compiled glob. */
export interface Glob {
  readonly pattern: string;
  test(value: string): boolean;
}

/** Compile `pattern` (see the module comment for what `*` means). */
export function compileGlob(pattern: string): Glob {
  const pieces = pattern.split('*');
  const test =
    pieces.length === 1
      ? (value: string) => value === pattern
      : (value: string) => matchPieces(pieces, value);
  return { pattern, test };
}

/** Whether `pattern` matches the whole of `value`. */
export function globMatch(pattern: string, value: string): boolean {
  return compileGlob(pattern).test(value);
}

/** `pieces`: the pattern split at its stars (at least two: a star between each). */
function matchPieces(pieces: readonly string[], value: string): boolean {
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > value.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  // The middle pieces must fit, in order, between the prefix and the suffix.
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i]!;
    if (piece === '') continue;
    const found = value.indexOf(piece, at);
    if (found === -1 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}
