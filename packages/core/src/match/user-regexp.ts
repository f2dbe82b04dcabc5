import { RE2JS, RE2JSException } from 're2js';

/**
 * Regular expressions written by users (in manifests, Provider documents) run under RE2 (the
 * `re2js` pure-JavaScript port): matching time is linear in the input whatever the pattern, so a
 * pattern like `^(a+)+$` cannot hold a plan or an apply (and its state lock) for minutes, as it did
 * under JavaScript's backtracking engine. RE2 has no backreferences and no lookaround: such a
 * pattern is refused with the reason, where it is written.
 */
export interface UserRegExp {
  readonly source: string;
  /** Whether the pattern matches anywhere in `value` (like `RegExp.prototype.test`). */
  test(value: string): boolean;
}

/** A pattern RE2 refuses: `reason` says why (unsupported syntax or a syntax error). */
export class UserRegExpError extends Error {
  readonly source: string;
  readonly reason: string;
  constructor(source: string, reason: string) {
    super(`regular expression ${JSON.stringify(source)} is refused: ${reason}`);
    this.name = 'UserRegExpError';
    this.source = source;
    this.reason = reason;
  }
}

/**
 * Compiled patterns by flags and source. A fleet run evaluates the same policies (the same patterns)
 * for every tenant: compiling each pattern once keeps RE2's automaton, which it builds as it matches,
 * for all of them (issue 19). A compiled pattern holds no input, so nothing of one tenant's values
 * reaches another's; the cache is bounded, as patterns come from manifests.
 */
const compiled = new Map<string, UserRegExp>();
/** Patterns kept at most (then the cache starts over). */
export const USER_REGEXP_CACHE_SIZE = 1000;

/** Compile a user's pattern; throws a `UserRegExpError` when RE2 cannot run it. */
export function compileUserRegExp(source: string, opts: { ignoreCase?: boolean } = {}): UserRegExp {
  const key = `${opts.ignoreCase ? 'i' : '-'}${source}`;
  let found = compiled.get(key);
  if (!found) {
    found = compileUncached(source, opts);
    if (compiled.size >= USER_REGEXP_CACHE_SIZE) compiled.clear();
    compiled.set(key, found);
  }
  return found;
}

function compileUncached(source: string, opts: { ignoreCase?: boolean }): UserRegExp {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, opts.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (e) {
    if (e instanceof RE2JSException) throw new UserRegExpError(source, explain(e.message));
    throw e;
  }
  return Object.freeze({ source, test: (value: string) => re.test(value) });
}

/** Why a pattern is refused, or `undefined` when it compiles. */
export function userRegExpProblem(source: string, opts: { ignoreCase?: boolean } = {}): string | undefined {
  try {
    compileUserRegExp(source, opts);
    return undefined;
  } catch (e) {
    if (e instanceof UserRegExpError) return e.message;
    throw e;
  }
}

function explain(message: string): string {
  const m = message.replace(/^error parsing regexp: /, '');
  if (/invalid escape sequence: `\\([1-9]|k)/.test(m))
    return `${m} (backreferences are not supported: patterns run under RE2, in linear time)`;
  if (/\(\?(=|!|<=|<!)/.test(m))
    return `${m} (lookahead and lookbehind are not supported: patterns run under RE2, in linear time)`;
  return `${m} (patterns run under RE2: JavaScript syntax without backreferences or lookaround)`;
}
