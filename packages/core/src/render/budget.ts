/**
 * The entries of one section of a comment, cut off (with a count of what was left out) once the
 * section reaches its share of the comment. An entry (one or more lines, e.g. a `<details>` block)
 * is kept whole or left out whole, so a cut never leaves a tag open.
 */
export class Budget {
  readonly #lines: string[] = [];
  #used = 0;
  #dropped = 0;
  constructor(readonly max: number) {}

  /** Add one entry; once an entry does not fit, every later one is left out too (order matters). */
  push(...lines: string[]): void {
    const size = lines.reduce((n, l) => n + l.length + 1, 0);
    if (this.#dropped > 0 || this.#used + size > this.max) {
      this.#dropped += 1;
      return;
    }
    this.#lines.push(...lines);
    this.#used += size;
  }

  /** The section's lines, then `…and 3 more red flags: <see>` when entries were left out. */
  done(noun: string, see: string, nounPlural = `${noun}s`): string[] {
    if (this.#dropped === 0) return this.#lines;
    const n = this.#dropped;
    return [...this.#lines, '', `_…and ${n} more ${n === 1 ? noun : nounPlural}: ${see}._`];
  }
}
