import { childPointer } from '../manifest/pointer.js';
import { compileUserRegExp, userRegExpProblem } from '../match/user-regexp.js';
import type { WorldResource } from '../permissions/types.js';
import { rotateAfterDaysOf } from '../plan/local-attributes.js';
import type { PolicyContext, PolicyHit, PolicyRule } from './types.js';

/** Default pattern of a person's own mailbox: `first.last@` or `first_last@`. */
export const PERSONAL_MAILBOX_PATTERN = '^[a-z]+[._][a-z]+@';

/** Whether the resource's kind is an account (its provider's declaration says so; core knows no kind names). */
const isAccount = (ctx: PolicyContext, r: WorldResource) =>
  ctx.kindOf(r.provider, r.kind)?.role === 'account';

/**
 * The first string value of `value` (depth first, in key order) that `accept` takes, with its JSON
 * pointer below `base`. Only that one pointer is written: an account holds many strings, and
 * rules look at every account.
 */
function firstString(
  value: unknown,
  base: string,
  accept: (s: string) => boolean,
): [pointer: string, value: string] | undefined {
  const path: Array<string | number> = [];
  const found = findString(value, path, accept);
  return found === undefined ? undefined : [path.reduce(childPointer, base), found];
}

/** The string `firstString` looks for; `path` gets the keys and indexes to it (filled on the way out). */
function findString(
  value: unknown,
  path: Array<string | number>,
  accept: (s: string) => boolean,
): string | undefined {
  if (typeof value === 'string') return accept(value) ? value : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findString(value[i], path, accept);
      if (found !== undefined) {
        path.unshift(i);
        return found;
      }
    }
  } else if (value && typeof value === 'object' && !('reveal' in value)) {
    for (const [k, v] of Object.entries(value)) {
      const found = findString(v, path, accept);
      if (found !== undefined) {
        path.unshift(k);
        return found;
      }
    }
  }
  return undefined;
}

/** An account that can raise its own rights. */
const privilegeEscalation: PolicyRule = {
  id: 'privilege-escalation',
  description:
    'A service account holds a permission that lets it change its own rights (e.g. a Proliance role with Security Permissions): a leaked credential becomes an administrator.',
  severity: 'error',
  evaluate(ctx) {
    const hits: PolicyHit[] = [];
    for (const r of ctx.desired) {
      if (!isAccount(ctx, r)) continue;
      const doors = ctx.permissionsOf(r).filter((p) => p.escalates);
      if (doors.length === 0) continue;
      hits.push({
        address: r.address,
        message: `${r.address} can change its own rights (${doors.map((p) => p.name).join(', ')}): give it a role without them`,
        ...(doors[0]?.pointer ? { pointer: doors[0].pointer } : {}),
      });
    }
    return hits;
  },
};

/** Getint's guidance: document every service account (who owns it, what it is for). */
const labelsRequired: PolicyRule = {
  id: 'labels-required',
  description:
    'A service account without labels.owner and labels.purpose: nobody can tell who answers for it or whether it is still needed.',
  severity: 'warning',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      labels: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        minItems: 1,
        description: 'Labels every service account must have (default owner, purpose).',
      },
    },
  },
  evaluate(ctx) {
    const wanted = Array.isArray(ctx.options.labels)
      ? (ctx.options.labels as string[])
      : ['owner', 'purpose'];
    const hits: PolicyHit[] = [];
    for (const r of ctx.desired) {
      if (!isAccount(ctx, r)) continue;
      const missing = wanted.filter((l) => !r.labels[l]?.trim());
      if (missing.length === 0) continue;
      hits.push({
        address: r.address,
        message: `${r.address} has no ${missing.map((l) => `labels.${l}`).join(' or ')}: say who owns the account and what it is for`,
        pointer: '/metadata/labels',
      });
    }
    return hits;
  },
};

/** A service account tied to a person's mailbox breaks (or leaks) when the person leaves. */
const personalEmail: PolicyRule = {
  id: 'personal-email',
  description:
    "A service account's e-mail or user looks like a person's own mailbox (first.last@…): the account should be dedicated, reachable through a team address.",
  severity: 'warning',
  options: {
    type: 'object',
    additionalProperties: false,
    properties: {
      pattern: {
        type: 'string',
        minLength: 1,
        description: `Regular expression (case-insensitive) of a personal address; default ${PERSONAL_MAILBOX_PATTERN}.`,
      },
    },
  },
  checkOptions(options) {
    const problem =
      typeof options.pattern === 'string'
        ? userRegExpProblem(options.pattern, { ignoreCase: true })
        : undefined;
    return problem ? [{ pointer: '/pattern', message: problem }] : [];
  },
  evaluate(ctx) {
    // RE2 (linear time): a pattern from a manifest must not be able to hang the plan.
    const pattern = compileUserRegExp(
      typeof ctx.options.pattern === 'string' ? ctx.options.pattern : PERSONAL_MAILBOX_PATTERN,
      { ignoreCase: true },
    );
    const personal = (v: string) => v.includes('@') && pattern.test(v);
    const hits: PolicyHit[] = [];
    for (const r of ctx.desired) {
      if (!isAccount(ctx, r)) continue;
      const hit = firstString(r.attributes, '/spec', personal);
      if (!hit) continue;
      const [pointer, value] = hit;
      hits.push({
        address: r.address,
        message: `${value} looks like a person's own mailbox: use a dedicated or team address for a service account`,
        pointer,
      });
    }
    return hits;
  },
};

/** Credentials older than the resource's own `rotateAfterDays`. */
const rotationOverdue: PolicyRule = {
  id: 'rotation-overdue',
  description:
    'Credentials older than the account’s credentials.rotateAfterDays (counted from when roster last saw them issued).',
  severity: 'warning',
  evaluate(ctx) {
    const hits: PolicyHit[] = [];
    for (const r of ctx.desired) {
      const issued = ctx.state.resources[r.address]?.credentialsIssuedAt;
      if (!issued) continue;
      const rules = ctx.kindOf(r.provider, r.kind)?.attributes;
      const days = rules ? rotateAfterDaysOf(r.attributes, rules) : undefined;
      if (days === undefined) continue;
      const age = Math.floor((ctx.now.getTime() - Date.parse(issued)) / 86_400_000);
      if (age < days) continue;
      hits.push({
        address: r.address,
        message: `credentials of ${r.address} are ${age} days old (issued ${issued.slice(0, 10)}); rotateAfterDays is ${days}`,
        pointer: '/spec/credentials/rotateAfterDays',
      });
    }
    return hits;
  },
};

/** The rules every system shares. */
export const BUILTIN_POLICIES: readonly PolicyRule[] = [
  privilegeEscalation,
  labelsRequired,
  personalEmail,
  rotationOverdue,
];
