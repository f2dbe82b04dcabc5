import { inventoryRow } from '../inventory/account-fixture.testing.js';
import type { InventoryAccount, InventoryReport } from '../inventory/types.js';
import { renderReviewFile } from '../render/review-file.js';
import { type ParsedReview, parseReviewText } from './parse-file.js';
import { startReview } from './population.js';
import type { AccessReview } from './types.js';

/** An inventory account with the fields a test names; the rest as an unremarkable managed account. */
export function account(over: Partial<InventoryAccount> & { address: string }): InventoryAccount {
  const name = over.address.split('/')[2] ?? 'x';
  return inventoryRow({
    system: 'intacct',
    id: name.toUpperCase(),
    naturalKey: name.toUpperCase(),
    owner: 'finance-it',
    file: 'accounts.yaml',
    line: 1,
    column: 1,
    ...over,
  });
}

/** A report holding `accounts`, as `buildInventory` would after a refresh. */
export function inventory(accounts: InventoryAccount[]): InventoryReport {
  return {
    formatVersion: 1,
    generatedAt: '2026-12-07T10:00:00.000Z',
    staleAfterDays: 90,
    accounts,
    findings: [],
    conflicts: [],
    diagnostics: [],
  };
}

/** The two accounts most tests review: one with two permissions, one owned by data-platform. */
export const PORTAL = account({
  address: 'intacct-sandbox/ServiceAccount/invoice-portal',
  owner: 'finance-it',
  backupOwner: 'jane',
  roles: ['ap-sync'],
  permissions: [
    { name: 'accountsPayable/bills: add', via: ['intacct-sandbox/Role/ap-sync'] },
    { name: 'accountsPayable/vendors: list', via: ['intacct-sandbox/Role/ap-sync'] },
  ],
  file: 'intacct-accounts.yaml',
});
export const BI = account({
  address: 'intacct-sandbox/ServiceAccount/bi-export',
  owner: 'data-platform',
  file: 'intacct-accounts.yaml',
});

export function startedReview(accounts = [PORTAL, BI]): AccessReview {
  return startReview({
    inventory: inventory(accounts),
    period: '2026-Q4',
    startedAt: '2026-12-07T10:00:00.000Z',
    startedBy: 'auditor',
  });
}

/** The review file as `review start` writes it, with `edit` applied to its text, parsed back. */
export function reviewFile(
  edit: (text: string) => string = (t) => t,
  review = startedReview(),
): ParsedReview {
  const text = edit(renderReviewFile(review));
  const parsed = parseReviewText({ path: '/p/reviews/2026-Q4.yaml', display: 'reviews/2026-Q4.yaml' }, text);
  if (!parsed.review)
    throw new Error(parsed.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'));
  return parsed.review;
}

/** Insert a decision under the item whose address is `address` (after its `address:` line). */
export function decide(address: string, decision: string): (text: string) => string {
  return (text) =>
    text.replace(`- address: ${address}\n`, `- address: ${address}\n      decision: ${decision}\n`);
}
