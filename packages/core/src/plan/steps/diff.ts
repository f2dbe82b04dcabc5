import { fmt } from '../../format/fmt.js';
import type { AttributeRule } from '../../provider.js';
import { isSecret, matchesFingerprint } from '../../secret.js';
import { canonical, containsOutputRef, sameCanonical } from '../canonical.js';
import { UNKNOWN_OUTPUT, withOutputs } from '../outputs.js';
import { containsSecret, revealAll } from '../reveal.js';
import { type RemovedFirst, refsTo } from './relink.js';

/**
 * The object exists: compare only what the manifest sets (the manifest owns those fields).
 * `changed`: keys whose value differs; `relinked`: equal keys referring to an object removed first.
 */
export function diffAttributes(req: {
  provider: string;
  keys: readonly string[];
  /** Unreadable attributes nobody confirmed: not compared. */
  skip: readonly string[];
  rules: Record<string, AttributeRule>;
  desired: Record<string, unknown>;
  remote: Record<string, unknown>;
  state: Record<string, unknown> | undefined;
  outputOf: (address: string, output: string) => unknown;
  removedFirst: RemovedFirst;
}): { changed: string[]; relinked: string[] } {
  const changed: string[] = [];
  const relinked: string[] = [];
  for (const key of req.keys) {
    if (req.skip.includes(key)) continue;
    const rule = req.rules[key];
    // `{ref, output}` compares by the value the target produces; unknown yet means changed.
    // (An attested attribute is compared as recorded: state keeps the reference, not the value.)
    // (Values without one are compared as they are: `withOutputs` would copy them for nothing.)
    const value = req.desired[key];
    const want =
      rule?.verifiable === false || !containsOutputRef(value) ? value : withOutputs(value, req.outputOf);
    if (want === UNKNOWN_OUTPUT || !attributeEqual(want, req.remote[key], rule, req.state?.[key]))
      changed.push(key);
    else if (rule?.ref && refsTo(value, req.removedFirst, `${req.provider}/${rule.ref}/`).size > 0)
      relinked.push(key);
  }
  return { changed, relinked };
}

/** Whether a declared value equals the system's (a secret: the fingerprint state recorded). */
export function attributeEqual(
  desired: unknown,
  remote: unknown,
  rule: AttributeRule | undefined,
  stateValue: unknown,
): boolean {
  if (rule?.sensitive || rule?.writeOnly || containsSecret(desired)) {
    // The system does not give the value back: compare with the fingerprint roster recorded.
    if (typeof stateValue !== 'string') return false;
    return secretsMatch(desired, stateValue);
  }
  return sameCanonical(desired, remote, rule);
}

function secretsMatch(desired: unknown, stateFingerprint: string): boolean {
  if (isSecret(desired)) return matchesFingerprint(desired.reveal(), stateFingerprint);
  return matchesFingerprint(JSON.stringify(revealAll(desired)), stateFingerprint);
}

/** One attribute's change as a reviewer reads it (sets: what is gained and lost). */
export function describeChange(
  key: string,
  before: unknown,
  after: unknown,
  rule: AttributeRule | undefined,
): string {
  if (rule?.sensitive || rule?.writeOnly) return `${key} changes (sensitive)`;
  if (before === undefined) return `${key} is set to ${fmt(after)}`;
  if (Array.isArray(before) && Array.isArray(after) && rule?.set) {
    const b = new Set(before.map((x) => JSON.stringify(canonical(x, rule))));
    const a = new Set(after.map((x) => JSON.stringify(canonical(x, rule))));
    const added = [...a].filter((x) => !b.has(x)).map(shortRef);
    const removed = [...b].filter((x) => !a.has(x)).map(shortRef);
    return [
      added.length ? `${key} gains ${added.join(', ')}` : '',
      removed.length ? `${key} loses ${removed.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
  }
  return `${key}: ${fmt(before)} → ${fmt(after)}`;
}

function shortRef(json: string): string {
  const v = JSON.parse(json) as unknown;
  if (v && typeof v === 'object' && 'ref' in v) return String((v as { ref: unknown }).ref);
  return typeof v === 'string' ? v : json;
}
