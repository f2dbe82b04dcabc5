import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics.js';
import { findManifestFiles } from '../manifest/find-files.js';
import { MANIFEST_LIMITS } from '../manifest/limits.js';
import { formatManifestText } from './format-yaml.js';

/** What `roster fmt` did: the files not in the canonical layout (rewritten unless `check`). */
export interface FormatRun {
  /** Display names of the files whose text is (or, with `check`, would be) changed. */
  changed: string[];
  /** How many files were read and formatted. */
  checked: number;
  /** Files that cannot be read or parsed, at their line: never rewritten. */
  diagnostics: Diagnostic[];
}

/**
 * `roster fmt`: every manifest file under `paths` (as `plan` finds them: `-f`, `-R`) in the
 * canonical layout of `formatManifestText`. With `check`, nothing is written. A file that does not
 * parse is a diagnostic at its line and is left exactly as it is.
 */
export async function formatManifestFiles(
  paths: readonly string[],
  cwd: string,
  options: { recursive?: boolean; check?: boolean } = {},
): Promise<FormatRun> {
  const found = await findManifestFiles(
    paths.length > 0 ? paths : ['.'],
    cwd,
    options.recursive ? { recursive: true } : {},
  );
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const changed: string[] = [];
  let checked = 0;
  for (const file of found.files) {
    const fail = (code: string, message: string, line?: number, column?: number) =>
      diagnostics.push({
        severity: 'error',
        code,
        message,
        file: file.display,
        ...(line !== undefined ? { line, column: column ?? 1 } : {}),
      });
    let source: string;
    try {
      const st = await stat(file.path);
      if (st.size > MANIFEST_LIMITS.maxFileBytes) {
        fail(
          'manifest.limit',
          `file is ${st.size} bytes, more than a manifest file may be: not formatted`,
          1,
          1,
        );
        continue;
      }
      source = await readFile(file.path, 'utf8');
    } catch (err) {
      fail(
        'manifest.path',
        `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`,
      );
      continue;
    }
    const result = formatManifestText(source);
    if (!result.ok) {
      fail(
        'manifest.yaml',
        `${result.error.message}; the file is not formatted`,
        result.error.line,
        result.error.column,
      );
      continue;
    }
    checked++;
    if (!result.changed) continue;
    changed.push(file.display);
    if (!options.check) await writeFile(file.path, result.text);
  }
  return { changed, checked, diagnostics };
}
