import type { Progress } from '../progress.js';

/** What a progress line writes to: a terminal stream (its width when known). */
export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

/** `refreshing [2/5] intacct/ServiceAccount`, `applying [3/10] intacct/ServiceAccount/ap-sync`. */
export function progressText(p: Progress): string {
  const verb = p.phase === 'refresh' ? 'refreshing' : 'applying';
  return `${verb} [${p.done}/${p.total}]${p.current ? ` ${p.current}` : ''}`;
}

/**
 * One line at the bottom of a terminal that is rewritten as a step advances; other lines are
 * written above it (`log`). Only for a TTY: the line is drawn with a carriage return and an erase,
 * which in a file or a CI log would be noise.
 */
export class ProgressLine {
  readonly #out: ProgressStream;
  #shown = '';

  constructor(out: ProgressStream) {
    this.#out = out;
  }

  /** Draw (or redraw) the line, cut to the terminal's width so it never wraps. */
  show(progress: Progress): void {
    // A terminal that does not report its width (0) gets 80 columns; the last one stays free.
    const width = Math.max(20, (this.#out.columns || 80) - 1);
    const text = progressText(progress);
    this.#shown = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.#out.write(`\r\x1b[2K${this.#shown}`);
  }

  /** Write a whole line above the progress line, which is drawn again below it. */
  log(line: string): void {
    if (!this.#shown) {
      this.#out.write(line.endsWith('\n') ? line : `${line}\n`);
      return;
    }
    this.#out.write(`\r\x1b[2K${line}${line.endsWith('\n') ? '' : '\n'}${this.#shown}`);
  }

  /** Erase the line (before anything else writes to the terminal, and at the end). */
  clear(): void {
    if (!this.#shown) return;
    this.#out.write('\r\x1b[2K');
    this.#shown = '';
  }
}
