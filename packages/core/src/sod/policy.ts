import type { PolicyRule } from '../policy/types.js';
import { sodConflictMessage, sodConflicts, sodSubjects } from './engine.js';
import type { SodPack } from './types.js';

/** The policy rule id that applies a pack. */
export const sodRuleId = (pack: string) => `sod.${pack}`;

/**
 * One policy rule per pack: an account of the manifests that the plan leaves holding a conflicting
 * set is a finding (error by default; a Policy document sets its severity and exceptions like any
 * rule's).
 */
export function sodPolicyRules(packs: readonly SodPack[]): PolicyRule[] {
  return packs.map((pack) => ({
    id: sodRuleId(pack.id),
    description: `Segregation of duties, pack ${pack.id} v${pack.version}: an account (or a connection signing in as one) holding a set of permissions one account must not combine (roster sod lists the conflicts the systems hold now).`,
    severity: 'error',
    evaluate(ctx) {
      return sodConflicts({
        packs: [pack],
        world: ctx.world,
        accounts: sodSubjects(ctx.desired, ctx.kindOf),
      }).map((c) => ({
        address: c.address,
        message: sodConflictMessage(c),
        ...(c.pointer ? { pointer: c.pointer } : {}),
      }));
    },
  }));
}
