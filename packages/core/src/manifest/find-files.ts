import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.js';

/** A manifest file to read: where it is, and how messages name it. */
export interface ManifestFile {
  /** Absolute path. */
  path: string;
  /** Relative to the working directory, as the user would type it (absolute when given so). */
  display: string;
}

const MANIFEST_FILE = /\.ya?ml$/i;

/**
 * The manifest files under `paths`: a file is taken as given (whatever its extension: the user named
 * it); a directory gives its own `*.yaml` and `*.yml` files — and, with `recursive` (`-R`), those of
 * its subdirectories too, skipping dot entries (`.roster`, `.git`, `.github`) and `node_modules`.
 * Like `kubectl -f DIR` and Terraform, a directory is not descended into by default: a repository
 * root holds `pnpm-lock.yaml`, CI workflows and other YAML that is no manifest. Files of a directory
 * come sorted by path so every run reads them, and reports their problems, in the same order. A path
 * that cannot be read is a diagnostic.
 *
 * Symbolic links: one found under a directory is followed only while it stays inside that
 * directory (its real path); a link out of it — `shadow.yaml -> /etc/shadow`, a linked directory
 * elsewhere — is refused with one error naming the link, and the target is never read. A path
 * named by `-f` itself is taken as given, link or not (kubectl and Terraform do the same): the
 * user chose it, a pull request cannot.
 */
export async function findManifestFiles(
  paths: readonly string[],
  cwd: string,
  options: { recursive?: boolean } = {},
): Promise<{ files: ManifestFile[]; diagnostics: Diagnostic[] }> {
  const files: ManifestFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const add = (file: ManifestFile) => {
    if (seen.has(file.path)) return;
    seen.add(file.path);
    files.push(file);
  };

  for (const typed of paths) {
    const abs = path.resolve(cwd, typed);
    const display = (p: string) => (path.isAbsolute(typed) ? p : path.relative(cwd, p) || p);
    let st: Stats;
    try {
      st = await stat(abs);
    } catch (err) {
      diagnostics.push(pathError(typed, err, 'give -f a manifest file or a directory of them'));
      continue;
    }
    if (!st.isDirectory()) {
      add({ path: abs, display: display(abs) });
      continue;
    }
    const found = await walk(abs, typed, diagnostics, options.recursive === true);
    if (found.length === 0) {
      diagnostics.push({
        severity: 'warning',
        code: 'manifest.path',
        message: options.recursive
          ? 'no manifest files (*.yaml, *.yml) in this directory or below'
          : 'no manifest files (*.yaml, *.yml) in this directory (-R reads its subdirectories too)',
        file: typed,
      });
    }
    for (const f of found) add({ path: f, display: display(f) });
  }
  return { files, diagnostics };
}

/**
 * Every manifest file in `root` (and below it when `recursive`), sorted by path. Iterative, and
 * symlink loops are cut by real path. A link whose target is outside `root` (by real path) is a
 * diagnostic, not followed.
 */
async function walk(
  root: string,
  typedRoot: string,
  diagnostics: Diagnostic[],
  recursive: boolean,
): Promise<string[]> {
  const out: string[] = [];
  const visited = new Set<string>();
  const pending = [root];
  let rootReal: string;
  try {
    rootReal = await realpath(root);
  } catch (err) {
    diagnostics.push(pathError(typedRoot, err, 'check its permissions'));
    return out;
  }
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let real: string;
    let entries: Dirent[];
    try {
      real = await realpath(dir);
      if (visited.has(real)) continue;
      visited.add(real);
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      diagnostics.push(
        pathError(path.join(typedRoot, path.relative(root, dir)), err, 'check its permissions'),
      );
      continue;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        let target: Stats;
        let targetReal: string;
        try {
          targetReal = await realpath(p);
          target = await stat(targetReal);
        } catch {
          continue; // a dangling link is not a manifest
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
        if ((isDir || (isFile && MANIFEST_FILE.test(e.name))) && !isInside(rootReal, targetReal)) {
          // Named, never its target: the target may be any file of this machine.
          diagnostics.push({
            severity: 'error',
            code: 'manifest.symlink',
            message: `symbolic link to a ${isDir ? 'directory' : 'file'} outside ${typedRoot}: roster does not follow links out of a -f directory (copy the file into it, or name it with its own -f)`,
            file: path.join(typedRoot, path.relative(root, p)),
          });
          continue;
        }
      }
      if (isDir) {
        if (recursive) pending.push(p);
      } else if (isFile && MANIFEST_FILE.test(e.name)) out.push(p);
    }
  }
  return out.sort(comparePaths);
}

/** Whether `p` is `dir` or inside it (both real, absolute paths). */
function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pathError(typed: string, err: unknown, hint: string): Diagnostic {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT' || code === 'ENOTDIR'
      ? 'no such file or directory'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : `cannot be read (${code ?? 'unknown error'})`;
  // No line or column: the problem is the path itself. `file` names it so the line reads `path: …`.
  return { severity: 'error', code: 'manifest.path', message: `${reason} (${hint})`, file: typed };
}
