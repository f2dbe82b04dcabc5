/** How serious a diagnostic is: `error` stops the run, `warning` and `info` are reported. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * Something a user can fix, reported with the place it comes from. Diagnostics are accumulated
 * and printed all at once; exceptions are for bugs.
 */
export interface Diagnostic {
  severity: Severity;
  /** Stable identifier, e.g. `manifest.schema`, `rule.immutable`, `intacct.admin-privileges`. */
  code: string;
  message: string;
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Resource address the diagnostic is about, when there is one. */
  address?: string;
}

/** Thrown when a run must stop on diagnostics the user can fix (exit code 1). */
export class DiagnosticsError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticsError';
    this.diagnostics = diagnostics;
  }
}

/** A failure the user can act on (bad flag, missing file, API refusal); exit code 1, no stack trace. */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** `file:line:column: severity[code]: message` — the one-line form every diagnostic is printed in. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}: ` : '';
  const addr = !d.file && d.address ? `${d.address}: ` : '';
  return `${where}${addr}${d.severity}[${d.code}]: ${d.message}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sort by file, then line, then column, so output is stable and reads top to bottom. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/** How many diagnostics of one file are reported before the rest are counted (`capDiagnostics`). */
export const MAX_DIAGNOSTICS_PER_FILE = 100;

/**
 * Sorted, with at most `perFile` diagnostics of each file: the rest are replaced by one
 * `… and N more errors in FILE` (code `manifest.too-many-diagnostics`, an error when any of them
 * was), so a file with 20,000 broken anchors prints 101 lines, not 20,000. Idempotent.
 */
export function capDiagnostics(
  diagnostics: Diagnostic[],
  perFile: number = MAX_DIAGNOSTICS_PER_FILE,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Sorted by file first, so each file's diagnostics are contiguous: its summary follows them.
  let file: string | undefined;
  let kept = 0;
  let errors = 0;
  let others = 0;
  let firstLine: number | undefined;
  const flush = () => {
    if (file === undefined || errors + others === 0) return;
    const parts = [
      errors > 0 ? `${errors.toLocaleString('en-US')} more error${errors === 1 ? '' : 's'}` : '',
      others > 0 ? `${others.toLocaleString('en-US')} more warning${others === 1 ? '' : 's'}` : '',
    ].filter(Boolean);
    out.push({
      severity: errors > 0 ? 'error' : 'warning',
      code: TOO_MANY,
      message: `… and ${parts.join(' and ')} in ${file} (the first ${perFile} are shown)`,
      file,
      ...(firstLine ? { line: firstLine } : {}),
    });
  };
  for (const d of sortDiagnostics(diagnostics)) {
    if (d.file !== file) {
      flush();
      file = d.file;
      kept = 0;
      errors = 0;
      others = 0;
      firstLine = undefined;
    }
    if (d.file === undefined || d.code === TOO_MANY || kept < perFile) {
      if (d.code !== TOO_MANY) kept++;
      out.push(d);
      continue;
    }
    if (errors + others === 0) firstLine = d.line;
    if (d.severity === 'error') errors++;
    else others++;
  }
  flush();
  return out;
}

const TOO_MANY = 'manifest.too-many-diagnostics';
