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
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Progress and logs go to stderr. */
export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printDiagnostics(diagnostics: Diagnostic[]): void {
  // At most 100 per file, then a count: a hostile file cannot flood the terminal or a CI log.
  for (const d of capDiagnostics(diagnostics)) err(formatDiagnostic(d));
}
