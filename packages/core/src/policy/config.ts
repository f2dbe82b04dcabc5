import type { Diagnostic } from '../diagnostics.js';
import type { SchemaValidator } from '../manifest/schema-validator.js';
import type { SourceMap } from '../manifest/source-map.js';
import { didYouMean } from '../manifest/suggest.js';
import type { ManifestDocument, SourcePosition } from '../manifest/types.js';
import { validateAgainst } from '../manifest/validate.js';
import { compileGlob, type Glob } from '../match/glob.js';
import type { JsonSchema } from '../provider.js';
import { celPolicyRule, checkCelExpression } from './cel-rule.js';
import { type EndpointAllowList, parseEndpointPattern } from './endpoints.js';
import { positionInScalar } from './expression-position.js';
import type { PolicyRule, PolicySeverity } from './types.js';

const SEVERITIES = ['error', 'warning', 'info'] as const;

/** JSON Schema of a `kind: Policy` document's `spec`. */
export const POLICY_SPEC_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://roster.dev/schemas/Policy.schema.json',
  title: 'roster policy settings',
  description:
    'Turns built-in policy rules on or off, sets their severity and options, adds custom rules in CEL, and excepts resources with a reason. Rules not named keep their defaults (roster providers lists them).',
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: {
      type: 'object',
      description: 'Settings per rule id (e.g. labels-required, intacct.web-services-admin).',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          enabled: { type: 'boolean', default: true, description: 'false turns the rule off.' },
          severity: {
            enum: [...SEVERITIES],
            description: 'error fails plan (exit 1) and blocks apply; warning and info are reported.',
          },
          options: { type: 'object', description: "The rule's own options (see its description)." },
          expression: {
            type: 'string',
            minLength: 1,
            description:
              'Makes this a custom rule (an id no built-in rule has): a CEL expression over `account` and `plan` that must be true for every account of the manifests; a finding where it is false (README "Policies as code"). Checked for syntax and types when the manifests load.',
          },
          message: {
            type: 'string',
            minLength: 3,
            description: "A custom rule's finding: what is wrong and what to do.",
          },
          exceptions: {
            type: 'array',
            description: 'Resources this rule does not judge, each with its reason (kept in the plan).',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['address', 'reason'],
              properties: {
                address: {
                  type: 'string',
                  minLength: 1,
                  description: 'Resource address; * matches any characters.',
                },
                reason: { type: 'string', minLength: 3, description: 'Why: reviewers read it.' },
              },
            },
          },
        },
      },
    },
    endpoints: {
      type: 'object',
      description:
        "Allow-list of the endpoints a Provider may name, per provider type (e.g. intacct: [https://api.intacct.com]). Once set, a Provider whose endpoint is a URL outside its type's list is an error at its endpoint line, before any command connects or sends a credential; a type not listed may use no URL endpoint. endpoint: sandbox (and Autotask's auto) is always allowed. Entries: https://host, https://*.domain (hosts below it), a :port or :* (any port), a /path prefix.",
      propertyNames: { pattern: '^[a-z][a-z0-9-]*$' },
      additionalProperties: {
        type: 'array',
        items: {
          type: 'string',
          minLength: 1,
          description: 'e.g. https://api.intacct.com, https://*.autotask.net',
        },
      },
    },
    exceptions: {
      type: 'array',
      description: 'Findings accepted for given resources, each with its reason (kept in the plan).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'address', 'reason'],
        properties: {
          rule: { type: 'string', minLength: 1, description: 'Rule id.' },
          address: {
            type: 'string',
            minLength: 1,
            description: 'Resource address; * matches any characters (e.g. intacct-prod/ServiceAccount/*).',
          },
          reason: {
            type: 'string',
            minLength: 3,
            description: 'Why the finding is accepted: reviewers read it.',
          },
        },
      },
    },
  },
} as const satisfies JsonSchema;

/** One rule's effective settings. */
export interface RuleSettings {
  enabled: boolean;
  severity: PolicySeverity;
  options: Record<string, unknown>;
}

/** A rule's entry in a Policy document, as its schema allows. */
interface RuleEntry extends Partial<RuleSettings> {
  expression?: string;
  message?: string;
  exceptions?: Array<{ address: string; reason: string }>;
}

/** An accepted finding. */
export interface PolicyException {
  rule: string;
  address: string;
  reason: string;
  position: SourcePosition;
  /** The address pattern (`*` matches any characters), matched in linear time. */
  matcher: Glob;
}

/** The settings of every known rule, from its defaults and the Policy manifests. */
export interface PolicySettings {
  rules: Map<string, RuleSettings>;
  exceptions: PolicyException[];
  /** The endpoint allow-list per provider type; `undefined` when no Policy sets `endpoints`. */
  endpoints?: Map<string, EndpointAllowList>;
  /** Custom rules the Policy manifests write in CEL (their settings are in `rules`). */
  custom?: PolicyRule[];
}

/** Defaults only: every rule enabled at its own severity. */
export function defaultPolicySettings(rules: readonly PolicyRule[]): PolicySettings {
  return {
    rules: new Map(rules.map((r) => [r.id, { enabled: true, severity: r.severity, options: {} }])),
    exceptions: [],
  };
}

/**
 * Read the `kind: Policy` documents (spec validated here) against the known rules: an unknown rule
 * id, options the rule does not take, or a rule set twice is an error at its line.
 */
export function readPolicySettings(req: {
  documents: readonly ManifestDocument[];
  maps: ReadonlyMap<ManifestDocument, SourceMap>;
  rules: readonly PolicyRule[];
  validator: SchemaValidator;
  /** Each Policy document's file text, to place a CEL error at its token (else at the expression). */
  texts?: ReadonlyMap<ManifestDocument, string>;
}): { settings: PolicySettings; diagnostics: Diagnostic[] } {
  const settings = defaultPolicySettings(req.rules);
  const diagnostics: Diagnostic[] = [];
  const byId = new Map(req.rules.map((r) => [r.id, r]));
  const valid = new Set<ManifestDocument>();
  for (const doc of req.documents) {
    if (doc.kind !== 'Policy') continue;
    const map = req.maps.get(doc);
    if (!map) continue;
    const problems = validateAgainst(
      req.validator,
      POLICY_SPEC_SCHEMA,
      doc.spec,
      '/spec',
      map,
      'the Policy schema',
    );
    if (problems.length > 0) diagnostics.push(...problems.map((p) => ({ ...p, address: doc.address })));
    else valid.add(doc);
  }
  // Custom rules first: an exception or setting may name one a later document defines.
  const custom = readCustomRules([...valid], byId, req.texts, diagnostics);
  for (const rule of custom) {
    byId.set(rule.id, rule);
    settings.rules.set(rule.id, { enabled: true, severity: rule.severity, options: {} });
  }
  if (custom.length > 0) settings.custom = custom;
  const customIds = new Set(
    [...valid].flatMap((d) =>
      Object.entries((d.spec.rules ?? {}) as Record<string, RuleEntry>)
        .filter(([, e]) => e.expression !== undefined)
        .map(([id]) => id),
    ),
  );
  const setBy = new Map<string, SourcePosition>();
  const unknown = (doc: ManifestDocument, pointer: string, id: string) =>
    diagnostics.push({
      severity: 'error',
      code: 'policy.unknown-rule',
      message: `unknown policy rule ${id}${didYouMean(id, byId.keys())}; roster providers lists the rules`,
      ...doc.source.positionOf(pointer),
      address: doc.address,
    });
  for (const doc of req.documents) {
    const map = req.maps.get(doc);
    if (!map || !valid.has(doc)) continue;
    const rules = (doc.spec.rules ?? {}) as Record<string, RuleEntry>;
    for (const [id, given] of Object.entries(rules)) {
      const pointer = `/spec/rules/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const rule = byId.get(id);
      if (!rule) {
        // A custom rule that did not load is reported where it failed, once.
        if (given.expression === undefined) unknown(doc, pointer, id);
        continue;
      }
      const first = setBy.get(id);
      if (first) {
        diagnostics.push({
          severity: 'error',
          code: 'policy.duplicate-rule',
          message: `policy rule ${id} is already configured at ${first.file}:${first.line}`,
          ...doc.source.positionOf(pointer),
          address: doc.address,
        });
        continue;
      }
      setBy.set(id, doc.source.positionOf(pointer));
      for (const [i, e] of (given.exceptions ?? []).entries())
        settings.exceptions.push({
          rule: id,
          ...e,
          position: doc.source.positionOf(`${pointer}/exceptions/${i}`),
          matcher: compileGlob(e.address),
        });
      if (given.options !== undefined) {
        if (!rule.options) {
          diagnostics.push({
            severity: 'error',
            code: 'policy.options',
            message: `policy rule ${id} takes no options`,
            ...doc.source.positionOf(`${pointer}/options`),
            address: doc.address,
          });
          continue;
        }
        const bad = validateAgainst(
          req.validator,
          rule.options,
          given.options,
          `${pointer}/options`,
          map,
          `rule ${id}`,
        );
        if (bad.length > 0) {
          diagnostics.push(...bad.map((p) => ({ ...p, address: doc.address })));
          continue;
        }
        const refused = rule.checkOptions?.(given.options) ?? [];
        if (refused.length > 0) {
          for (const r of refused)
            diagnostics.push({
              severity: 'error',
              code: 'policy.options',
              message: `rule ${id}: ${r.message}`,
              ...doc.source.positionOf(`${pointer}/options${r.pointer}`),
              address: doc.address,
            });
          continue;
        }
      }
      const current = settings.rules.get(id)!;
      settings.rules.set(id, {
        enabled: given.enabled ?? current.enabled,
        severity: given.severity ?? current.severity,
        options: given.options ?? current.options,
      });
    }
    readEndpoints(doc, settings, diagnostics);
    const exceptions = (doc.spec.exceptions ?? []) as Array<{
      rule: string;
      address: string;
      reason: string;
    }>;
    exceptions.forEach((e, i) => {
      if (!byId.has(e.rule)) {
        if (!customIds.has(e.rule)) unknown(doc, `/spec/exceptions/${i}/rule`, e.rule);
        return;
      }
      settings.exceptions.push({
        ...e,
        position: doc.source.positionOf(`/spec/exceptions/${i}`),
        matcher: compileGlob(e.address),
      });
    });
  }
  return { settings, diagnostics };
}

/**
 * A Policy document's `endpoints` (schema-valid): one list per provider type across the project —
 * a type listed by two Policy documents is an error, so reviewers (and CODEOWNERS) watch one place.
 */
function readEndpoints(doc: ManifestDocument, settings: PolicySettings, diagnostics: Diagnostic[]): void {
  const given = doc.spec.endpoints as Record<string, string[]> | undefined;
  if (given === undefined) return;
  settings.endpoints ??= new Map();
  for (const [type, entries] of Object.entries(given)) {
    const pointer = `/spec/endpoints/${type}`;
    const first = settings.endpoints.get(type);
    if (first) {
      diagnostics.push({
        severity: 'error',
        code: 'policy.duplicate-endpoints',
        message: `the endpoints of ${type} are already listed at ${first.position.file}:${first.position.line}; keep one list per provider type`,
        ...doc.source.positionOf(pointer),
        address: doc.address,
      });
      continue;
    }
    const patterns = [];
    for (const [i, text] of entries.entries()) {
      const position = doc.source.positionOf(`${pointer}/${i}`);
      const pattern = parseEndpointPattern(text.trim(), position);
      if (pattern) patterns.push(pattern);
      else
        diagnostics.push({
          severity: 'error',
          code: 'policy.endpoint-pattern',
          message: `${text} is not an endpoint pattern: give http(s)://host, http(s)://*.domain, an optional :port or :*, and an optional /path (no user, query or fragment)`,
          ...position,
          address: doc.address,
        });
    }
    settings.endpoints.set(type, { patterns, position: doc.source.positionOf(pointer) });
  }
}

/**
 * The custom rules (entries with an `expression`) of schema-valid Policy documents, each checked
 * for syntax and types: a problem is an error at the expression's token. An id a built-in rule has,
 * an expression without a message or a message without an expression is an error at its line.
 */
function readCustomRules(
  documents: readonly ManifestDocument[],
  builtIn: ReadonlyMap<string, PolicyRule>,
  texts: ReadonlyMap<ManifestDocument, string> | undefined,
  diagnostics: Diagnostic[],
): PolicyRule[] {
  const out: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const doc of documents) {
    const rules = (doc.spec.rules ?? {}) as Record<string, RuleEntry>;
    for (const [id, entry] of Object.entries(rules)) {
      const pointer = `/spec/rules/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const error = (at: string, code: string, message: string) =>
        diagnostics.push({
          severity: 'error',
          code,
          message,
          ...doc.source.positionOf(at),
          address: doc.address,
        });
      if (entry.expression === undefined) {
        if (entry.message !== undefined)
          error(`${pointer}/message`, 'policy.custom-rule', `rule ${id} has a message but no expression`);
        continue;
      }
      // A second definition is reported as a duplicate by the settings pass.
      if (seen.has(id)) continue;
      seen.add(id);
      if (builtIn.has(id)) {
        error(
          pointer,
          'policy.custom-rule',
          `${id} is a built-in rule: give the custom rule an id of its own`,
        );
        continue;
      }
      if (entry.message === undefined) {
        error(
          pointer,
          'policy.custom-rule',
          `custom rule ${id} needs a message: what is wrong and what to do`,
        );
        continue;
      }
      const problem = checkCelExpression(entry.expression);
      if (problem) {
        const scalar = doc.source.positionOf(`${pointer}/expression`);
        const text = texts?.get(doc);
        diagnostics.push({
          severity: 'error',
          code: 'policy.expression',
          message: `rule ${id}: ${problem.message}`,
          ...(text ? positionInScalar(text, scalar, problem.offset) : scalar),
          address: doc.address,
        });
        continue;
      }
      const at = doc.source.positionOf(`${pointer}/expression`);
      out.push(
        celPolicyRule({
          id,
          expression: entry.expression,
          message: entry.message,
          severity: entry.severity ?? 'error',
          at: `${at.file}:${at.line}`,
        }),
      );
    }
  }
  return out;
}
