import { capDiagnostics, type Diagnostic, formatDiagnostic } from '@roster/core';

/** Whether to colour output on this stream: a TTY, unless `NO_COLOR`; `FORCE_COLOR` forces it. */
export function useColor(stream: NodeJS.WriteStream, flag?: boolean): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && process.env.TERM !== 'dumb';
}

/** Requested output (plan text, JSON, Markdown) goes to stdout only. */
export function out(text: string): void {
  if (closedPipes.has(process.stdout)) return;
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** A `--format json` document on stdout: one document, indented, ending with a newline. */
export function outJson(doc: unknown): void {
  out(JSON.stringify(doc, null, 2));
}

/** Progress and logs go to stderr. */
export function err(text: string): void {
  if (closedPipes.has(process.stderr)) return;
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Streams whose reader went away (`roster plan | head -1`): what is still written to them is dropped. */
const closedPipes = new WeakSet<NodeJS.WritableStream>();

/** Whether an error is the reader of a pipe having gone away. */
export function isClosedPipe(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/**
 * Output into a pipe whose reader has exited (`roster --help | head -1`) ends quietly: the rest of
 * the output is dropped, with no stack trace, and the command finishes with its own exit code
 * (an apply is never cut short because its reader left). Any other stream error is thrown as
 * Node would. Installed once per stream and kept: the error of a write may come after `main`
 * has returned.
 */
export function quietOnClosedPipe(stream: NodeJS.WritableStream): void {
  if (quieted.has(stream)) return;
  quieted.add(stream);
  const onError = (e: unknown) => {
    if (isClosedPipe(e)) {
      closedPipes.add(stream);
      return;
    }
    throw e;
  };
  stream.on('error', onError);
}
const quieted = new WeakSet<NodeJS.WritableStream>();

export function printDiagnostics(diagnostics: Diagnostic[]): void {
  // At most 100 per file, then a count: a hostile file cannot flood the terminal or a CI log.
  for (const d of capDiagnostics(diagnostics)) err(formatDiagnostic(d));
}
