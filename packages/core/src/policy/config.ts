import type { Diagnostic } from '../diagnostics.js';
import type { SchemaValidator } from '../manifest/schema-validator.js';
import type { SourceMap } from '../manifest/source-map.js';
import { didYouMean } from '../manifest/suggest.js';
import type { ManifestDocument, SourcePosition } from '../manifest/types.js';
import { validateAgainst } from '../manifest/validate.js';
import { compileGlob, type Glob } from '../match/glob.js';
import type { JsonSchema } from '../provider.js';
import { type EndpointAllowList, parseEndpointPattern } from './endpoints.js';
import type { PolicyRule, PolicySeverity } from './types.js';

const SEVERITIES = ['error', 'warning', 'info'] as const;

/** JSON Schema of a `kind: Policy` document's `spec`. */
export const POLICY_SPEC_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://roster.dev/schemas/Policy.schema.json',
  title: 'roster policy settings',
  description:
    'Turns built-in policy rules on or off, sets their severity and options, and excepts resources with a reason. Rules not named keep their defaults (roster providers lists them).',
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
}): { settings: PolicySettings; diagnostics: Diagnostic[] } {
  const settings = defaultPolicySettings(req.rules);
  const diagnostics: Diagnostic[] = [];
  const byId = new Map(req.rules.map((r) => [r.id, r]));
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
    if (problems.length > 0) {
      diagnostics.push(...problems.map((p) => ({ ...p, address: doc.address })));
      continue;
    }
    const rules = (doc.spec.rules ?? {}) as Record<string, Partial<RuleSettings>>;
    for (const [id, given] of Object.entries(rules)) {
      const pointer = `/spec/rules/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const rule = byId.get(id);
      if (!rule) {
        unknown(doc, pointer, id);
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
        unknown(doc, `/spec/exceptions/${i}/rule`, e.rule);
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
