import type { PolicyRule } from '../../policy/types.js';

export const STALE_RULE = 'inventory.stale';
export const NO_OWNER_RULE = 'inventory.no-owner';
/** Days without use after which an account is stale, unless `inventory.stale` options say otherwise. */
export const DEFAULT_STALE_DAYS = 90;

/**
 * The rules `roster inventory` judges over every account the systems hold. Registered with the
 * built-in rules, so a Policy document sets their severity, turns them off, gives their options and
 * excepts addresses exactly as for any rule (an unknown option is an error at its line).
 */
export const INVENTORY_POLICIES: readonly PolicyRule[] = [
  {
    id: STALE_RULE,
    description: `An account (managed or not) whose last use — the system's own record, else the last roster test sign-in — is older than options.days (default ${DEFAULT_STALE_DAYS}): a credential nobody uses is a door nobody watches (roster inventory).`,
    severity: 'warning',
    judgedBy: 'inventory',
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        days: {
          type: 'integer',
          minimum: 1,
          description: `Days without use after which an account is stale (default ${DEFAULT_STALE_DAYS}).`,
        },
      },
    },
  },
  {
    id: NO_OWNER_RULE,
    description:
      'An active account or connection with no labels.owner — every unmanaged one, which no manifest declares: nobody answers for it in an access review (roster inventory).',
    severity: 'warning',
    judgedBy: 'inventory',
  },
];

/** `inventory.stale`'s days: `--stale-days` when given, else the rule's option, else the default. */
export function staleAfterDaysOf(options: Record<string, unknown> | undefined, override?: number): number {
  if (override !== undefined) return override;
  return typeof options?.days === 'number' ? options.days : DEFAULT_STALE_DAYS;
}
