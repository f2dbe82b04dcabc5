/**
 * The candidate closest to `name` by edit distance, when close enough to be a likely typo
 * (at most 2 edits, or a third of the name's length for long names). Used for "did you mean".
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  // Ties go to the alphabetically first candidate, so the hint does not depend on input order.
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    // Length difference is a lower bound of the distance: skipping on it keeps a search over
    // 100,000 names cheap.
    if (Math.abs(c.length - name.length) > bestDistance || c === name) continue;
    const d = editDistance(name, c, bestDistance + 1);
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `" (did you mean x?)"` or the empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const s = suggest(name, candidates);
  return s === undefined ? '' : ` (did you mean ${s}?)`;
}

/** Levenshtein distance, giving up (returning `cap`) once every path exceeds `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= cap) return cap;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Up to `max` candidates nearest to `name` by edit distance, nearest first (ties alphabetically),
 * keeping only those close enough to be a likely typo (`limit` edits: by default at most 2, or a
 * third of the name's length for long names). Used where several near names help more than one (unknown addresses).
 */
export function nearest(
  name: string,
  candidates: Iterable<string>,
  max = 3,
  limit = Math.max(2, Math.floor(name.length / 3)),
): string[] {
  const found: { c: string; d: number }[] = [];
  for (const c of new Set(candidates)) {
    if (c === name || Math.abs(c.length - name.length) > limit) continue;
    const d = editDistance(name, c, limit + 1);
    if (d <= limit) found.push({ c, d });
  }
  found.sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  return found.slice(0, max).map((f) => f.c);
}
