import type { Diagnostic } from '../../diagnostics.js';
import type { PolicySettings } from '../../policy/config.js';
import type { InventoryAccount, InventoryFinding } from '../types.js';
import { noOwnerHits } from './no-owner.js';
import { INVENTORY_POLICIES, NO_OWNER_RULE, STALE_RULE } from './rules.js';
import { type InventoryHit, staleHits } from './stale.js';

/**
 * The inventory rules over the accounts, as the Policy documents configure them: a rule turned off
 * finds nothing; each finding has the rule's severity and the account's manifest line; a Policy
 * exception keeps the finding, with its reason, but it no longer counts. An exception of these rules
 * that matched nothing is a warning (it hides nothing, but misleads). Pure.
 */
export function inventoryFindings(req: {
  accounts: readonly InventoryAccount[];
  settings: PolicySettings;
  staleAfterDays: number;
  now: Date;
}): { findings: InventoryFinding[]; diagnostics: Diagnostic[] } {
  const byAddress = new Map(req.accounts.map((a) => [a.address, a]));
  const hitsOf: Record<string, () => InventoryHit[]> = {
    [STALE_RULE]: () => staleHits(req.accounts, { days: req.staleAfterDays, now: req.now }),
    [NO_OWNER_RULE]: () => noOwnerHits(req.accounts),
  };
  const findings: InventoryFinding[] = [];
  const used = new Set<number>();
  for (const rule of INVENTORY_POLICIES) {
    const cfg = req.settings.rules.get(rule.id) ?? { enabled: true, severity: rule.severity };
    if (!cfg.enabled) continue;
    for (const hit of hitsOf[rule.id]?.() ?? []) {
      const account = byAddress.get(hit.address);
      const i = req.settings.exceptions.findIndex((e) => e.rule === rule.id && e.matcher.test(hit.address));
      if (i >= 0) used.add(i);
      const exception = req.settings.exceptions[i];
      findings.push({
        rule: rule.id,
        severity: cfg.severity,
        address: hit.address,
        message: hit.message,
        ...(account?.file ? { file: account.file, line: account.line!, column: account.column! } : {}),
        ...(exception
          ? {
              excepted: {
                reason: exception.reason,
                file: exception.position.file,
                line: exception.position.line,
              },
            }
          : {}),
      });
    }
  }
  const ids = new Set(INVENTORY_POLICIES.map((r) => r.id));
  const diagnostics: Diagnostic[] = req.settings.exceptions.flatMap((e, i) =>
    !ids.has(e.rule) || used.has(i)
      ? []
      : [
          {
            severity: 'warning' as const,
            code: 'policy.unused-exception',
            message: `the exception of ${e.address} from ${e.rule} matched no account of the inventory: remove it, or fix its address`,
            ...e.position,
          },
        ],
  );
  const rank = (s: InventoryFinding['severity']) => (s === 'error' ? 0 : s === 'warning' ? 1 : 2);
  findings.sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) ||
      (a.address < b.address ? -1 : a.address > b.address ? 1 : 0) ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
  return { findings, diagnostics };
}
