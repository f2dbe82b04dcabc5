import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../diagnostics.js';
import { globMatch } from '../match/glob.js';
import { DRIFT_CLASSES, type DriftClass } from './classes.js';

/** The baseline file `roster drift` reads from the project directory when no `--ignore-file` is given. */
export const IGNORE_FILE_NAME = '.rosterignore';

/**
 * One line of a baseline: `[CLASS:]ADDRESS [ATTRIBUTE]`. `*` in ADDRESS and ATTRIBUTE matches any
 * run of characters (including `/`).
 */
export interface IgnoreRule {
  /** 1-based line in the file (for messages). */
  line: number;
  /** Only drift of this class; absent: any class. */
  class?: DriftClass;
  /** Address pattern (synthetic `<provider>/<Kind>/<naturalKey>` for unmanaged objects). */
  address: string;
  /** Only this attribute of a `changed` entry; absent: the whole entry. */
  attribute?: string;
}

/** Accepted drift: a parsed baseline file. */
export interface DriftBaseline {
  /** The file as the user knows it (relative to the working directory when inside it). */
  file: string;
  rules: IgnoreRule[];
}

/**
 * Parse a baseline file. A malformed line is a `UserError` naming `file:line`, so a typo never
 * silently accepts (or stops accepting) drift.
 */
export function parseIgnoreFile(text: string, file: string): DriftBaseline {
  const rules: IgnoreRule[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const fail = (message: string): never => {
      throw new UserError(`${file}:${lineNo}: ${message}`);
    };
    let rest = lines[i]!.trim();
    if (rest === '' || rest.startsWith('#')) continue;
    let cls: DriftClass | undefined;
    // A class prefix is a word before `:`; addresses start with a provider name, which has no `:`.
    const prefix = /^([^\s/":]+):/.exec(rest);
    if (prefix) {
      const word = prefix[1]!;
      if (!(DRIFT_CLASSES as readonly string[]).includes(word))
        fail(`unknown drift class "${word}": use changed:, deleted: or unmanaged:`);
      cls = word as DriftClass;
      rest = rest.slice(prefix[0].length);
    }
    const tokens = tokenize(rest, fail);
    const [address, attribute, extra] = tokens;
    if (address === undefined) return fail('a class prefix needs an address pattern after it');
    if (extra !== undefined)
      fail(
        `unexpected "${extra}": a line is [CLASS:]ADDRESS [ATTRIBUTE] (quote an address that contains spaces: "p/Kind/Read Only")`,
      );
    // PROVIDER/KIND/NAME, or a shorter prefix ending in `*` (`intacct-prod/*`): never a bare `*`,
    // which would accept all drift of every system.
    const slashes = (address.match(/\//g) ?? []).length;
    if (slashes < 2 && !(slashes === 1 && address.endsWith('*') && !address.startsWith('*')))
      fail(
        `expected an address pattern PROVIDER/KIND/NAME or PROVIDER/* (* matches anything), got "${address}"`,
      );
    const rule: IgnoreRule = { line: lineNo, address, ...(cls ? { class: cls } : {}) };
    if (attribute !== undefined) {
      if (cls && cls !== 'changed')
        fail(`an attribute applies only to changed drift, not to ${cls}: drop "${attribute}" or the prefix`);
      const name = attribute.startsWith('/') ? attribute.slice(1) : attribute;
      if (!/^[A-Za-z0-9_.*-]+$/.test(name))
        fail(`"${attribute}" is not an attribute name (a top-level spec attribute, e.g. adminPrivileges)`);
      rule.attribute = name;
    }
    rules.push(rule);
  }
  return { file, rules };
}

/** Whitespace-separated tokens; a token may be a JSON string (for addresses with spaces); `#` starts a comment. */
function tokenize(text: string, fail: (message: string) => never): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '#') break;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) fail('unterminated quoted address (a closing " is missing)');
      try {
        out.push(JSON.parse(text.slice(i, j + 1)) as string);
      } catch {
        fail(`invalid quoted address ${text.slice(i, j + 1)}`);
      }
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j]!)) j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/**
 * The baseline of a run: `--ignore-file PATH` (which must exist), or `.rosterignore` in the project
 * directory when there is one.
 */
export function loadDriftBaseline(req: {
  cwd: string;
  projectDir: string;
  ignoreFile?: string;
}): DriftBaseline | undefined {
  const abs = req.ignoreFile
    ? path.resolve(req.cwd, req.ignoreFile)
    : path.join(req.projectDir, IGNORE_FILE_NAME);
  const rel = path.relative(req.cwd, abs);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      if (!req.ignoreFile) return undefined;
      throw new UserError(`ignore file ${shown} does not exist`);
    }
    throw new UserError(`cannot read ignore file ${shown}${code ? ` (${code})` : ''}`);
  }
  return parseIgnoreFile(text, shown);
}

/** Whether a pattern with `*` wildcards matches the whole of `value`. */
export function globMatches(pattern: string, value: string): boolean {
  // Never a RegExp: `^a.*b.*c$` backtracks exponentially in the number of stars (see match/glob.ts).
  return globMatch(pattern, value);
}

/**
 * Whether the baseline accepts drift of `cls` at `address` — for `changed`, of `attribute` (an
 * attribute name without the leading `/`).
 */
export function baselineAccepts(
  baseline: DriftBaseline | undefined,
  cls: DriftClass,
  address: string,
  attribute?: string,
): boolean {
  if (!baseline) return false;
  return baseline.rules.some((r) => {
    if (r.class && r.class !== cls) return false;
    if (r.attribute !== undefined && (cls !== 'changed' || attribute === undefined)) return false;
    if (!globMatches(r.address, address)) return false;
    return r.attribute === undefined || globMatches(r.attribute, attribute!);
  });
}
