import { Environment } from '@marcbachmann/cel-js';
import { globMatch } from '../match/glob.js';
import type { PolicyContext, PolicyHit, PolicyRule, PolicySeverity } from './types.js';
import { CEL_VIEW_TYPES, type PolicyAccount, type PolicyView, policyView } from './view.js';

/** A custom rule as a Policy manifest writes it (`spec.rules.<id>` with an `expression`). */
export interface CelRuleSource {
  id: string;
  /** CEL; must be true for every account, a finding where it is false. */
  expression: string;
  /** What the finding says, e.g. `an integration may not gain permissions without an owner`. */
  message: string;
  severity: PolicySeverity;
  /** Where the rule is written, named in each finding (`rule at policies.yaml:12`). */
  at: string;
}

/** Why an expression cannot be used: the message, and where in the expression (0-based offset). */
export interface CelProblem {
  message: string;
  offset: number;
}

// One environment for every rule: the view's types never change. `unlistedVariablesAreDyn: false`
// makes a mistyped variable name a type error at load, not a runtime surprise at plan.
let shared: Environment | undefined;
function environment(): Environment {
  if (shared) return shared;
  const env = new Environment({ unlistedVariablesAreDyn: false });
  for (const [name, fields] of Object.entries(CEL_VIEW_TYPES))
    env.registerType(name, { fields: { ...fields } });
  env.registerVariable('account', 'Account');
  env.registerVariable('plan', 'Plan');
  env.registerFunction('glob(string, string): bool', (value: string, pattern: string) =>
    globMatch(pattern, value),
  );
  shared = env;
  return env;
}

/** Syntax and type check of an expression against the view: a problem, or none. */
export function checkCelExpression(expression: string): CelProblem | undefined {
  let result: ReturnType<Environment['check']>;
  try {
    result = environment().check(expression);
  } catch (err) {
    return problemOf(err);
  }
  if (!result.valid) {
    const problem = problemOf(result.error);
    // "Unexpected end" is after the last token, not after the newline a block scalar ends with.
    return { ...problem, offset: Math.min(problem.offset, expression.trimEnd().length) };
  }
  if (result.type !== 'bool' && result.type !== 'dyn')
    return { message: `the expression gives ${result.type}, where a rule needs a bool`, offset: 0 };
  const regex = findCall(environment().parse(expression).ast, 'matches');
  if (regex !== undefined)
    return {
      message:
        "matches() is refused: the evaluator runs it with JavaScript's backtracking regular expressions, which a pattern can stall for minutes; use startsWith, endsWith, contains or glob(value, pattern) (* matches any characters)",
      offset: regex,
    };
  return undefined;
}

/** The position of the first call of `name` (as a function or a method) in a parsed expression. */
function findCall(node: unknown, name: string): number | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const found = findCall(n, name);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  const { op, args, pos } = node as { op?: unknown; args?: unknown; pos?: unknown };
  if ((op === 'call' || op === 'rcall') && Array.isArray(args) && args[0] === name)
    return typeof pos === 'number' ? pos : 0;
  return findCall(args, name);
}

/** The library's message is several lines (its own excerpt of the expression): the first says it. */
function problemOf(err: unknown): CelProblem {
  const e = err as { message?: unknown; node?: { pos?: unknown } } | undefined;
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0]!.trim() : String(err);
  const offset = typeof e?.node?.pos === 'number' ? e.node.pos : 0;
  return { message, offset };
}

/**
 * A custom rule as a policy rule: the expression runs once per account of the manifests, with
 * `account` (that account) and `plan` (every account and change); false is a finding at the
 * account. An expression that fails at run time (a label the account lacks, read without `has()`)
 * is a finding too, saying why: a rule that cannot decide must not let the plan through silently.
 * The expression must have passed `checkCelExpression`.
 */
export function celPolicyRule(source: CelRuleSource): PolicyRule {
  const program = environment().parse(source.expression);
  return {
    id: source.id,
    description: `${source.message} (custom rule at ${source.at})`,
    severity: source.severity,
    evaluate(ctx) {
      const { view, plan } = viewOf(ctx);
      const hits: PolicyHit[] = [];
      for (const [i, account] of view.accounts.entries()) {
        let verdict: unknown;
        try {
          verdict = program({ account: plan.accounts[i] as PolicyAccount, plan });
        } catch (err) {
          hits.push({
            address: account.address,
            message: `${account.address}: rule ${source.id} (${source.at}) could not be evaluated: ${problemOf(err).message}`,
          });
          continue;
        }
        if (verdict === true) continue;
        hits.push({
          address: account.address,
          message:
            verdict === false
              ? `${account.address}: ${source.message} (rule at ${source.at})`
              : `${account.address}: rule ${source.id} (${source.at}) gave ${String(verdict)}, not a bool`,
        });
      }
      return hits;
    },
  };
}

// One view per plan, shared by every custom rule (each would otherwise rebuild it: every account's
// permissions on both sides, then a copy as CEL values).
const views = new WeakMap<object, { key: PolicyContext; view: PolicyView; plan: PolicyView }>();
function viewOf(ctx: PolicyContext): { view: PolicyView; plan: PolicyView } {
  const cached = views.get(ctx.world);
  if (
    cached &&
    cached.key.before === ctx.before &&
    cached.key.changes === ctx.changes &&
    cached.key.desired === ctx.desired &&
    cached.key.state === ctx.state &&
    cached.key.now === ctx.now
  )
    return cached;
  const view = policyView({
    before: ctx.before ?? ctx.world,
    after: ctx.world,
    desired: new Set(ctx.desired.map((r) => r.address)),
    changes: ctx.changes ?? [],
    state: ctx.state,
    now: ctx.now,
    kindOf: ctx.kindOf,
  });
  const entry = { key: ctx, view, plan: celValue(view) as PolicyView };
  views.set(ctx.world, entry);
  return entry;
}

/** The view as CEL values: CEL's integers are 64-bit (the evaluator's are `bigint`). */
function celValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(celValue);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, celValue(v)]));
  return value;
}
