/**
 * The secrets scan of the whole end-to-end suite: every credential value the tests used, looked for
 * in every recorded output stream and in every file of every scratch project (state, plans,
 * runbooks, journal, audit log, sandboxes, logs) except the files credentials are meant to be kept
 * in (the `${file:…}` targets of `credentials` blocks). Pure apart from reading files.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { E2eRecord } from './e2e-record.js';

/** A credential value used by the suite, by a name that never reveals it. */
export interface Credential {
  name: string;
  value: string;
}

/** Where a credential was found. */
export interface Leak {
  /** `file <path>` or `output of <label>`. */
  where: string;
  credential: string;
}

/** The result of a scan: what was found, and how much was looked at. */
export interface ScanResult {
  leaks: Leak[];
  counts: { files: number; fileBytes: number; streams: number; streamBytes: number; credentials: number };
}

/** Values shorter than this are left out: `u` or `CODE` would match everywhere and prove nothing. */
const MIN_SECRET_LENGTH = 6;
/** Environment variables that are credentials whatever the manifests say. */
const ALWAYS_SECRET_ENV = ['ROSTER_PLAN_KEY'];
const MANIFEST = /\.ya?ml$/;
const REFERENCE = /\$\{(env|file):([^}\s]+)\}/g;

/** Scan everything the records name. */
export function scanRecords(records: E2eRecord[]): ScanResult {
  const runs = records.filter((r): r is Extract<E2eRecord, { type: 'run' }> => r.type === 'run');
  const dirs = scratchDirs(records, runs);
  const files = dirs.flatMap(listFiles);

  const credentialEnv = new Set(ALWAYS_SECRET_ENV);
  const credentials = new Map<string, Credential>();
  const keptSecrets = new Set<string>();
  const add = (name: string, value: string) => {
    const v = value.replace(/\r?\n$/, '');
    if (v.length >= MIN_SECRET_LENGTH && !credentials.has(v)) credentials.set(v, { name, value: v });
  };
  for (const file of files.filter((f) => MANIFEST.test(f))) {
    for (const ref of credentialReferences(readFileSync(file, 'utf8'))) {
      if (ref.scheme === 'env') credentialEnv.add(ref.target);
      else {
        const target = path.resolve(path.dirname(file), ref.target);
        // Only a scratch project's own files: a hostile test naming /etc/passwd is not a credential.
        if (!dirs.some((d) => isInside(target, d)) || !isSmallFile(target)) continue;
        keptSecrets.add(target);
        add(`file:${path.relative(path.dirname(file), target)}`, readFileSync(target, 'utf8'));
      }
    }
  }
  for (const run of runs) {
    for (const [k, v] of Object.entries(run.env)) if (credentialEnv.has(k)) add(`env:${k}`, v);
  }
  for (const r of records) if (r.type === 'credential') add(r.name, r.value);

  const secrets = [...credentials.values()];
  const leaks: Leak[] = [];
  const counts = { files: 0, fileBytes: 0, streams: 0, streamBytes: 0, credentials: secrets.length };
  for (const run of runs) {
    for (const [stream, text] of [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
    ] as const) {
      counts.streams += 1;
      counts.streamBytes += Buffer.byteLength(text);
      for (const c of secrets) {
        if (text.includes(c.value))
          leaks.push({ where: `${stream} of ${run.label} (in ${run.cwd})`, credential: c.name });
      }
    }
  }
  for (const file of files) {
    if (keptSecrets.has(file) || !existsSync(file)) continue;
    const bytes = readFileSync(file);
    counts.files += 1;
    counts.fileBytes += bytes.length;
    for (const c of secrets)
      if (bytes.includes(c.value)) leaks.push({ where: `file ${file}`, credential: c.name });
  }
  return { leaks, counts };
}

/**
 * `${env:…}`/`${file:…}` references inside `credentials` blocks of a manifest's text: on the line of
 * a `credentials` key (flow style) or on a line indented below one (block style). References
 * elsewhere are errors roster refuses, not credentials.
 */
export function credentialReferences(text: string): Array<{ scheme: 'env' | 'file'; target: string }> {
  const out: Array<{ scheme: 'env' | 'file'; target: string }> = [];
  let blockIndent: number | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (blockIndent !== undefined && indent <= blockIndent) blockIndent = undefined;
    const key = /^(\s*)(?:-\s+)?credentials\s*:/.exec(line);
    if (key) blockIndent = blockIndent ?? indent;
    if (blockIndent === undefined) continue;
    for (const m of line.matchAll(REFERENCE))
      out.push({ scheme: m[1] as 'env' | 'file', target: m[2] ?? '' });
  }
  return out;
}

/** The scratch directories: those the helpers made, and the working directories of runs under the temp directory. */
function scratchDirs(records: E2eRecord[], runs: Array<{ cwd: string }>): string[] {
  const tmp = path.resolve(tmpdir());
  const dirs = new Set<string>();
  for (const r of records) if (r.type === 'dir') dirs.add(path.resolve(r.dir));
  // Never the repository: only what a test made under the temp directory.
  for (const r of runs)
    if (isInside(path.resolve(r.cwd), tmp) && path.resolve(r.cwd) !== tmp) dirs.add(path.resolve(r.cwd));
  const all = [...dirs].filter((d) => existsSync(d));
  // A directory inside another recorded one is scanned once, as part of its parent.
  return all.filter((d) => !all.some((o) => o !== d && isInside(d, o)));
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    const st = lstatSync(p);
    if (st.isDirectory()) out.push(...listFiles(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function isSmallFile(p: string): boolean {
  try {
    const st = statSync(p);
    return st.isFile() && st.size <= 64 * 1024;
  } catch {
    return false;
  }
}
