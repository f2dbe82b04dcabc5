import type { SodPack, SodRule } from '@roster/core';

/**
 * Where the names come from: Intacct's OpenAPI document (Company Configuration,
 * `components.schemas`: the `module` and `permission-name` enums, and `permission-access-rights`),
 * transcribed in `permission-data/access-rights.ts` and `permission-data/catalogue.ts`; a role
 * grants `<module>/<name>: <access right>` (`permissions.ts`).
 */
const SOURCE =
  'Intacct OpenAPI, Company Configuration: module and permission-name enums, permission-access-rights (permission-data/)';

/**
 * Intacct's part of the `finance` pack: duties of accounts payable, accounts receivable and the
 * general ledger that one web services user must not combine (the classic maker/checker pairs an
 * auditor tests in a SOX-relevant ledger). Approval is any of the six approval levels.
 */
export const intacctFinanceSod: SodPack = {
  id: 'finance',
  version: 1,
  // Every rule is Intacct's, its names from the OpenAPI document: said once, below.
  rules: (
    [
      {
        id: 'ap-bill-entry-approval',
        permissions: ['accountsPayable/bills: add', 'accountsPayable/approveBills: approvalLevel*'],
        reason: 'one account could enter a bill and approve it for payment, with no second look',
      },
      {
        id: 'ap-bill-entry-payment',
        permissions: ['accountsPayable/bills: add', 'accountsPayable/payBills: add'],
        reason: 'one account could enter a bill and pay it',
      },
      {
        id: 'ap-bill-approval-payment',
        permissions: ['accountsPayable/approveBills: approvalLevel*', 'accountsPayable/payBills: add'],
        reason: 'one account could approve a bill and release its payment',
      },
      {
        id: 'ap-vendor-payment',
        permissions: ['accountsPayable/vendors: add', 'accountsPayable/payBills: add'],
        reason: 'one account could create a vendor and pay it (a fictitious vendor)',
      },
      {
        id: 'ap-vendor-change-payment',
        permissions: ['accountsPayable/vendors: modify', 'accountsPayable/payBills: add'],
        reason: "one account could change a vendor's bank details and pay it",
      },
      {
        id: 'gl-journal-entry-approval',
        permissions: [
          'generalLedger/journalEntries: add',
          'generalLedger/approveJournalEntries: approvalLevel*',
        ],
        reason: 'one account could enter a journal entry and approve it',
      },
      {
        id: 'gl-journal-post-approval',
        permissions: [
          'generalLedger/journalEntries: post',
          'generalLedger/approveJournalEntries: approvalLevel*',
        ],
        reason: 'one account could post a journal entry and approve it',
      },
      {
        id: 'ar-invoice-receipt',
        permissions: ['accountsReceivable/invoices: add', 'accountsReceivable/payments: add'],
        reason: 'one account could bill a customer and record its payment (receipts could be lapped)',
      },
    ] satisfies Array<Omit<SodRule, 'system' | 'source'>>
  ).map(({ id, ...rule }) => ({ id, system: 'intacct', ...rule, source: SOURCE })),
};
