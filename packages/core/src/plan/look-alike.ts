/**
 * Natural keys that differ only by case, invisible characters or look-alike letters (homoglyphs):
 * `WS_INVOICE`, `ws_invoice`, `WS_INVOICE\u200B` and `WS_\u0399NVOICE` (a Greek capital iota) read
 * the same in a review, yet a plan matching keys exactly would create each beside the other.
 */

/** Characters that print as nothing: zero-width spaces and joiners, soft hyphen, bidi controls, BOM. */
const INVISIBLE =
  /\u034F|[\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF]/gu;

/** Cyrillic and Greek letters that look like Latin ones, to the Latin letter (after NFKC). */
const LOOK_ALIKE: Record<string, string> = Object.fromEntries(
  (
    [
      ['A', 'АΑ'],
      ['B', 'ВΒ'],
      ['C', 'СϹ'],
      ['E', 'ЕΕ'],
      ['H', 'НΗ'],
      ['I', 'ІΙӀ'],
      ['J', 'Ј'],
      ['K', 'КΚ'],
      ['M', 'МΜ'],
      ['N', 'Ν'],
      ['O', 'ОΟ'],
      ['P', 'РΡ'],
      ['S', 'Ѕ'],
      ['T', 'ТΤ'],
      ['X', 'ХΧ'],
      ['Y', 'УΥҮ'],
      ['Z', 'Ζ'],
      ['a', 'аα'],
      ['c', 'сϲ'],
      ['d', 'ԁ'],
      ['e', 'еε'],
      ['h', 'һ'],
      ['i', 'іι'],
      ['j', 'ј'],
      ['k', 'κ'],
      ['o', 'оο'],
      ['p', 'рρ'],
      ['q', 'ԛ'],
      ['s', 'ѕ'],
      ['u', 'υ'],
      ['v', 'ν'],
      ['w', 'ԝ'],
      ['x', 'хχ'],
      ['y', 'у'],
    ] as const
  ).flatMap(([latin, others]) => [...others].map((c) => [c, latin] as const)),
);

/** What a key looks like: NFKC, invisible characters dropped, look-alikes made Latin, lower case. */
export function lookAlikeSkeleton(key: string): string {
  return [...key.normalize('NFKC').replace(INVISIBLE, '')]
    .map((c) => LOOK_ALIKE[c] ?? c)
    .join('')
    .toLowerCase();
}

/** How two different keys with the same skeleton differ, in words, naming the odd characters. */
export function lookAlikeDifference(key: string, existing: string): string {
  if (key.toLowerCase() === existing.toLowerCase()) return 'only by case';
  const odd = [...new Set([...key, ...existing].filter((c) => !/^[\x20-\x7e]$/.test(c)))].map(codePoint);
  const invisible = key.replace(INVISIBLE, '') !== key || existing.replace(INVISIBLE, '') !== existing;
  const what = invisible ? 'invisible or look-alike characters' : 'look-alike characters';
  return `only by ${what}${odd.length > 0 ? ` (${odd.join(', ')})` : ''}`;
}

/** A key as a review should see it: quoted, with every character outside printable ASCII as `\uXXXX`. */
export function showKey(key: string): string {
  return `"${[...key].map((c) => (/^[\x20-\x7e]$/.test(c) ? c : `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`)).join('')}"`;
}

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Natural keys of one provider and kind by skeleton, to find the look-alikes of a new key. */
export class LookAlikeIndex {
  readonly #bySkeleton = new Map<string, string[]>();
  add(key: string): void {
    const s = lookAlikeSkeleton(key);
    const list = this.#bySkeleton.get(s);
    if (!list) this.#bySkeleton.set(s, [key]);
    else if (!list.includes(key)) list.push(key);
  }
  /** The keys that look like `key` without being it. */
  like(key: string): string[] {
    return (this.#bySkeleton.get(lookAlikeSkeleton(key)) ?? []).filter((k) => k !== key);
  }
}
