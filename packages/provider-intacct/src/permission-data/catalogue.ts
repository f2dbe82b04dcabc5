/**
 * The standard permissions the sandbox's company has (`company-config/permission`), and what each
 * lets a web services user query.
 *
 * Module and name values are from Intacct's OpenAPI enums (`module`, `permission-name`); which
 * names go with which module, each permission's `allowedAccessRights` and the objects a `list`
 * right lets a user query are the sandbox's choice: Intacct publishes neither its catalogue nor
 * which permission guards which REST object. Keys are numeric strings, as Intacct's are
 * (`"3295"` in its example).
 */
export interface CatalogueEntry {
  module: string;
  name: string;
  allowedAccessRights: readonly string[];
  /** REST objects (`<application>/<object>`) a user may query with `list` on this permission. */
  queries: readonly string[];
}

const CRUD = ['list', 'readonly', 'add', 'modify', 'delete'] as const;
const READ = ['list', 'readonly'] as const;
const POSTING = ['list', 'readonly', 'add', 'modify', 'delete', 'post', 'void', 'reverse'] as const;
const APPROVAL = [
  'list',
  'readonly',
  'approvalLevel1',
  'approvalLevel2',
  'approvalLevel3',
  'approvalLevel4',
  'approvalLevel5',
  'approvalLevel6',
] as const;

const e = (
  module: string,
  name: string,
  allowedAccessRights: readonly string[],
  queries: readonly string[] = [],
): CatalogueEntry => ({ module, name, allowedAccessRights, queries });

/** In key order: the sandbox numbers them from `FIRST_PERMISSION_KEY`. */
export const SANDBOX_PERMISSIONS: readonly CatalogueEntry[] = [
  e('accountsPayable', 'bills', POSTING, ['accounts-payable/bill']),
  e('accountsPayable', 'vendors', CRUD, ['accounts-payable/vendor']),
  e('accountsPayable', 'approveBills', APPROVAL, ['accounts-payable/bill']),
  e(
    'accountsPayable',
    'payBills',
    ['list', 'readonly', 'add', 'modify', 'delete', 'post', 'void'],
    ['accounts-payable/payment'],
  ),
  e('accountsPayable', 'vendorGroups', CRUD, ['accounts-payable/vendor-group']),
  e('accountsPayable', 'apTerms', CRUD, ['accounts-payable/term']),
  e('accountsReceivable', 'customers', CRUD, ['accounts-receivable/customer']),
  e('accountsReceivable', 'invoices', POSTING, ['accounts-receivable/invoice']),
  e(
    'accountsReceivable',
    'payments',
    ['list', 'readonly', 'add', 'modify', 'delete', 'post', 'reverse'],
    ['accounts-receivable/payment'],
  ),
  e('accountsReceivable', 'customerGroups', CRUD, ['accounts-receivable/customer-group']),
  e('accountsReceivable', 'arTerms', CRUD, ['accounts-receivable/term']),
  e('generalLedger', 'accounts', CRUD, ['general-ledger/account']),
  e('generalLedger', 'journalEntries', POSTING, ['general-ledger/journal-entry']),
  e('generalLedger', 'journals', CRUD, ['general-ledger/journal']),
  e('generalLedger', 'approveJournalEntries', APPROVAL, ['general-ledger/journal-entry']),
  e('generalLedger', 'budgets', CRUD, ['general-ledger/budget']),
  e('generalLedger', 'reports', ['list', 'readonly', 'run'], []),
  e('cashManagement', 'checkingAccounts', CRUD, ['cash-management/checking-account']),
  e('cashManagement', 'savingsAccounts', CRUD, ['cash-management/savings-account']),
  e(
    'cashManagement',
    'deposits',
    ['list', 'readonly', 'add', 'modify', 'delete', 'post'],
    ['cash-management/deposit'],
  ),
  e('company', 'users', CRUD, ['company-config/user']),
  e('company', 'contacts', CRUD, ['company-config/contact']),
  e('company', 'departments', CRUD, ['company-config/department']),
  e('company', 'locations', CRUD, ['company-config/location']),
  e('company', 'employees', CRUD, ['company-config/employee']),
  e('company', 'attachments', CRUD, ['company-config/attachment']),
  e('company', 'auditLog', READ, ['company-config/audit-history']),
  e('company', 'grantAdminRights', ['modify'], []),
  e('orderEntry', 'orderEntryTransactions', POSTING, ['order-entry/document']),
  e('purchasing', 'purchasingTransactions', POSTING, ['purchasing/document']),
  e('projects', 'projects', CRUD, ['projects/project']),
  e('projects', 'tasks', CRUD, ['projects/task']),
  e('inventoryControl', 'items', CRUD, ['inventory-control/item']),
  e('inventoryControl', 'warehouses', CRUD, ['inventory-control/warehouse']),
];

/** The key of the first permission of a sandbox company (the others follow, one apart). */
export const FIRST_PERMISSION_KEY = 3295;

/** `<module>/<name>` of a permission: how manifests name it. */
export const permissionName = (p: { module: string; name: string }): string => `${p.module}/${p.name}`;

/**
 * roster's earlier, invented `<application>/<object>` permission keys → the permission Intacct
 * names for the same thing, for the error that tells a manifest or state written that way what to
 * write now.
 */
export const OLD_FORM: Readonly<Record<string, string>> = {
  'accounts-payable/bill': 'accountsPayable/bills',
  'accounts-payable/vendor': 'accountsPayable/vendors',
  'accounts-payable/payment': 'accountsPayable/payBills',
  'accounts-receivable/customer': 'accountsReceivable/customers',
  'accounts-receivable/invoice': 'accountsReceivable/invoices',
  'accounts-receivable/payment': 'accountsReceivable/payments',
  'general-ledger/account': 'generalLedger/accounts',
  'general-ledger/journal-entry': 'generalLedger/journalEntries',
  'general-ledger/journal': 'generalLedger/journals',
  'cash-management/checking-account': 'cashManagement/checkingAccounts',
  'company-config/user': 'company/users',
  'company-config/contact': 'company/contacts',
};

/** Whether a permission key is written in the old `<application>/<object>` form. */
export const isOldForm = (key: string): boolean => key.includes('-') || key in OLD_FORM;

/** The one-line explanation for an old-form key. */
export function oldFormMessage(key: string): string {
  const now = OLD_FORM[key];
  return now
    ? `${key} is the old form; Intacct names this permission ${now} (<module>/<name> of company-config/permission)`
    : `${key} is the old <application>/<object> form; Intacct names permissions <module>/<name> as company-config/permission has them (e.g. accountsPayable/bills)`;
}

/** Levenshtein distance, for suggesting the closest names. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** Up to `n` candidates closest to `wanted` (case-insensitive edit distance), best first. */
export function closest(wanted: string, candidates: Iterable<string>, n = 3): string[] {
  const w = wanted.toLowerCase();
  return [...candidates]
    .map((c) => ({ c, d: distance(w, c.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0))
    .slice(0, n)
    .map((x) => x.c);
}

/**
 * What a `list` right on a permission lets a user query (`<module>/<name>` → REST objects): the
 * table `roster test` uses to pick an object to read as the account, and the sandbox enforces.
 */
export const QUERY_OBJECTS: ReadonlyMap<string, readonly string[]> = new Map(
  SANDBOX_PERMISSIONS.filter((p) => p.queries.length > 0).map((p) => [permissionName(p), p.queries]),
);
