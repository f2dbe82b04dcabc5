import type { Permission, World, WorldResource } from '../permissions/types.js';
import type { PlannedChange } from '../plan/types.js';
import type { JsonSchema, KindDefinition } from '../provider.js';
import type { StateDocument } from '../state/types.js';

/** How much a finding matters: `error` fails `plan` (exit 1) and blocks `apply`. */
export type PolicySeverity = 'error' | 'warning' | 'info';

/** What a rule sees: the resources as the plan leaves them, across every provider. Pure data. */
export interface PolicyContext {
  /** The world after the plan (desired resources, and removed ones that stay deactivated). */
  world: World;
  /** Resources in the manifests (a subset of `world.resources`). */
  desired: readonly WorldResource[];
  /** What a resource can do after the plan. */
  permissionsOf(resource: WorldResource): Permission[];
  state: StateDocument;
  now: Date;
  kindOf(provider: string, kind: string): KindDefinition | undefined;
  /** The rule's `options` from the Policy manifests (empty when none). */
  options: Record<string, unknown>;
  /** The world before the plan, when known (custom rules compare the two sides); else `world`. */
  before?: World;
  /** The plan's changes, when known (custom rules read their actions and reasons). */
  changes?: readonly PlannedChange[];
}

/** One place a rule fires. */
export interface PolicyHit {
  address: string;
  message: string;
  /** JSON pointer into the manifest document (e.g. `/spec/adminPrivileges`) for the line to show. */
  pointer?: string;
}

/**
 * A built-in policy rule. Core has rules every system shares; a provider adds rules about its own
 * system (`Provider.policies`, ids `<type>.<name>`). Configured by `kind: Policy` manifests. A rule
 * either judges plans (`evaluate`) or is judged by `roster inventory` (`judgedBy`), never neither.
 */
export type PolicyRule = PolicyRuleSettings &
  (
    | {
        judgedBy?: undefined;
        /** The rule's hits in a plan's world. */
        evaluate(ctx: PolicyContext): PolicyHit[];
      }
    | {
        /**
         * `inventory`: judged by `roster inventory` over every account the systems hold (e.g.
         * `inventory.stale`), not by plans: it has no `evaluate`, and plans leave its exceptions alone.
         */
        judgedBy: 'inventory';
        evaluate?: undefined;
      }
  );

/** What every policy rule declares, however it is judged. */
export interface PolicyRuleSettings {
  id: string;
  /** One sentence for `roster providers` and the README: what it flags and why. */
  description: string;
  /** Severity unless a Policy manifest says otherwise: `error` only for what opens a door. */
  severity: PolicySeverity;
  /** JSON Schema of the `options` a Policy manifest may give the rule. */
  options?: JsonSchema;
  /**
   * What the schema cannot say about options that passed it (a regular expression RE2 refuses):
   * each problem at a JSON pointer into the options, reported at its manifest line.
   */
  checkOptions?(options: Record<string, unknown>): Array<{ pointer: string; message: string }>;
}
