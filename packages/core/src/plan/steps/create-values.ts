import { fmt } from '../../format/fmt.js';
import type { AttributeRule } from '../../provider.js';
import { sameValue } from '../canonical.js';
import type { Reason } from '../types.js';
import { type Draft, draft, type Subject } from './draft.js';

/** The attributes a create sends, and those a value allowed at creation stands in for. */
export interface CreateAttributes {
  attrs: Record<string, unknown>;
  substituted: string[];
}

/**
 * `createValues`: a declared value the system does not accept at creation is created as the
 * rule's `createAs`, then set by a follow-up update.
 */
export function createAttributes(
  desired: Record<string, unknown>,
  rules: Record<string, AttributeRule>,
): CreateAttributes {
  const attrs: Record<string, unknown> = { ...desired };
  const substituted: string[] = [];
  for (const [key, value] of Object.entries(desired)) {
    const rule = rules[key];
    if (rule?.createValues && !rule.createValues.some((v) => sameValue(v, value))) {
      attrs[key] = rule.createAs;
      substituted.push(key);
    }
  }
  return { attrs, substituted };
}

/** Why a create sends another value than declared. */
export function createValuesReasons(subject: Subject, created: CreateAttributes): Reason[] {
  const desired = subject.desired ?? {};
  return created.substituted.map((key) => ({
    path: `/${key}`,
    rule: 'createValues',
    message: `a new ${subject.kind} cannot be created with ${key} ${fmt(desired[key])}: it is created as ${fmt(subject.rules[key]?.createAs)}, then updated`,
  }));
}

/** The update after a create that set the declared values the create could not. */
export function followUpDraft(subject: Subject, created: CreateAttributes): Draft | undefined {
  if (created.substituted.length === 0) return undefined;
  const desired = subject.desired ?? {};
  return draft(subject, {
    action: 'update',
    reasons: created.substituted.map((key) => ({
      path: `/${key}`,
      rule: 'createValues',
      message: `after creation, ${key} is set to ${fmt(desired[key])} (${fmt(subject.rules[key]?.createAs)} → ${fmt(desired[key])})`,
    })),
    before: created.attrs,
    after: { ...created.attrs, ...Object.fromEntries(created.substituted.map((k) => [k, desired[k]])) },
    operation: 'update',
    risk: 'low',
    after_addresses: [],
    changed: created.substituted,
  });
}
