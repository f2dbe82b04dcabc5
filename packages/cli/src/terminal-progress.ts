import { Writable } from 'node:stream';
import { ProgressLine, type ProgressListener } from '@roster/core';
import { err } from './output.js';

/** Where an apply writes its stderr lines, and its progress on a terminal. */
export interface StderrLines {
  /** A line on stderr (above the progress line when one is shown). */
  line(text: string): void;
  /** Progress of the refresh and the apply: shown only when stderr is a terminal. */
  onProgress?: ProgressListener;
  /** A stream for prompts on stderr (the terminal operator): the progress line is erased first. */
  prompts: NodeJS.WritableStream;
  /** Erase the progress line (the end of the run). */
  done(): void;
}

/**
 * On a terminal, progress (`applying [3/10] ADDR`) is one line on stderr rewritten in place,
 * with every other line written above it; without one (CI, a pipe, a file) there is no progress
 * line at all and stderr is what it always was.
 */
export function stderrLines(stream: NodeJS.WriteStream = process.stderr): StderrLines {
  if (stream.isTTY !== true) return { line: err, prompts: stream, done: () => {} };
  const progress = new ProgressLine(stream);
  return {
    line: (text) => progress.log(text),
    onProgress: (p) => progress.show(p),
    prompts: new Writable({
      write(chunk, encoding, callback) {
        progress.clear();
        stream.write(chunk, encoding, callback);
      },
    }),
    done: () => progress.clear(),
  };
}
