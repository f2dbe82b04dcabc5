import type { Diagnostic } from '../diagnostics.js';
import type { FormatRun } from '../format/format-files.js';

/** `roster fmt [--check] --format json` (schemas/fmt.schema.json). */
export interface FmtJson {
  /** `--check`: nothing was written, `changed` lists the files that would be. */
  check: boolean;
  /** How many manifest files were read and formatted. */
  checked: number;
  /** Files rewritten (or, with `check`, not in the canonical layout). */
  changed: string[];
  /** Files that cannot be read or parsed (left as they are). */
  diagnostics: Diagnostic[];
}

export function fmtJson(run: FormatRun, check: boolean): FmtJson {
  return { check, checked: run.checked, changed: run.changed, diagnostics: run.diagnostics };
}
