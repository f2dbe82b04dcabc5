import type { CheckedResource, ProviderCheckRequest, ProviderCheckResult } from '@roster/core';
import type { ParsedExport } from './client/format.js';
import { describeOwner, ownerKey, ownerParts, registerOf } from './kinds/common.js';

type Diagnostic = ProviderCheckResult['diagnostics'][number];

/**
 * Checks across one Proliance provider's desired resources (pure, no export needed):
 *
 * - two integration accounts on the same staff member or contact (error `proliance.duplicate-owner`:
 *   Proliance keeps one account per document);
 * - two accounts with the same account name, regardless of case (error
 *   `proliance.duplicate-account-name`);
 * - two security roles with the same name, regardless of case (error
 *   `proliance.duplicate-security-role`);
 *
 * An integration account holding a role with `securityPermissions: true` (the Proliance tip: the
 * external account can change its own role) is the policy `privilege-escalation`, through the
 * account's permissions (`permissions.ts`).
 *
 * References are `{ ref: <metadata.name> }` here.
 */
export function checkProvider(req: ProviderCheckRequest): ProviderCheckResult {
  const diagnostics: Diagnostic[] = [];
  const roles = new Map<string, CheckedResource>();
  const roleNames = new Map<string, string>();
  for (const r of req.resources) {
    if (r.kind !== 'SecurityLevel') continue;
    roles.set(r.name, r);
    if (typeof r.spec.name !== 'string') continue;
    const first = roleNames.get(r.spec.name.toLowerCase());
    if (first) {
      diagnostics.push({
        severity: 'error',
        code: 'proliance.duplicate-security-role',
        message: `security role ${r.spec.name} is also declared by ${first}: Proliance role names are unique regardless of case`,
        address: r.address,
        path: '/name',
      });
    } else roleNames.set(r.spec.name.toLowerCase(), r.address);
  }
  const owners = new Map<string, string>();
  const accountNames = new Map<string, string>();
  for (const r of req.resources) {
    if (r.kind !== 'ServiceAccount') continue;
    const owner = ownerParts(r.spec.owner);
    if (owner) {
      const key = ownerKey(r.spec.owner).toLowerCase();
      const first = owners.get(key);
      if (first) {
        diagnostics.push({
          severity: 'error',
          code: 'proliance.duplicate-owner',
          message: `${describeOwner(owner.type, owner.id)} also holds ${first}: Proliance keeps one account per staff member or contact, so each integration account needs its own`,
          address: r.address,
          path: '/owner',
        });
      } else owners.set(key, r.address);
    }
    if (typeof r.spec.accountName === 'string') {
      const first = accountNames.get(r.spec.accountName.toLowerCase());
      if (first) {
        diagnostics.push({
          severity: 'error',
          code: 'proliance.duplicate-account-name',
          message: `account name ${r.spec.accountName} is also used by ${first}: Proliance account names are unique`,
          address: r.address,
          path: '/accountName',
        });
      } else accountNames.set(r.spec.accountName.toLowerCase(), r.address);
    }
  }
  return { diagnostics };
}

const ORGANIZATION = 'Organization work area';

/**
 * Checks of the desired integration accounts against the registers' export (pure; the connection's
 * `validate` runs it on the export it read):
 *
 * - the owner must exist in the Staff or Contacts export (error `proliance.owner-missing` at
 *   `/owner`, naming the procedure: create the staff member or contact first); an ID that exists
 *   only in another case is named with the exported spelling;
 * - the owner must be active to get a new account (error `proliance.owner-inactive`); an existing
 *   account on an inactive owner is a warning;
 * - the account name must not be used by another document's account (error
 *   `proliance.account-name-taken` at `/accountName`).
 *
 * An owner that already has a *user* account is reported by the plan itself: the export lists that
 * account as a conflict on the natural key.
 */
export function checkOwners(req: {
  export: ParsedExport;
  resources: CheckedResource[];
}): ProviderCheckResult {
  const diagnostics: Diagnostic[] = [];
  const registers = {
    staff: new Map(req.export.staff.map((s) => [s.id, s])),
    contact: new Map(req.export.contacts.map((c) => [c.id, c])),
  };
  const accountsByOwner = new Map(req.export.accounts.map((a) => [`${a.ownerType}:${a.ownerId}`, a]));
  const accountsByName = new Map(req.export.accounts.map((a) => [a.accountName.toLowerCase(), a]));
  for (const r of req.resources) {
    if (r.kind !== 'ServiceAccount') continue;
    const owner = ownerParts(r.spec.owner);
    if (!owner) continue;
    const who = describeOwner(owner.type, owner.id);
    const register = registerOf(owner.type);
    const file = owner.type === 'staff' ? req.export.files.staff : req.export.files.contacts;
    const found = registers[owner.type].get(owner.id);
    const existing = accountsByOwner.get(`${owner.type}:${owner.id}`);
    if (!found) {
      const otherCase = [...registers[owner.type].keys()].find(
        (k) => k.toLowerCase() === owner.id.toLowerCase(),
      );
      diagnostics.push({
        severity: 'error',
        code: 'proliance.owner-missing',
        message: otherCase
          ? `${who} is not in the ${register} register export (${file}), but ${otherCase} is: write the ID as Proliance shows it`
          : `${who} does not exist in Proliance (not in the ${register} register export ${file}): an integration account is made on an existing staff member or contact, so create the ${owner.type === 'staff' ? 'staff member' : 'contact'} first (${ORGANIZATION} › ${register} › New), export the registers again, and plan again`,
        address: r.address,
        path: '/owner',
      });
    } else if (!found.active) {
      diagnostics.push(
        existing
          ? {
              severity: 'warning',
              code: 'proliance.owner-inactive',
              message: `${who} (${found.name}) is inactive in Proliance; its integration account stays, but Proliance makes integration accounts for active staff members and contacts only`,
              address: r.address,
              path: '/owner',
            }
          : {
              severity: 'error',
              code: 'proliance.owner-inactive',
              message: `${who} (${found.name}) is inactive: Proliance creates integration accounts for active staff members and contacts only; make the ${owner.type === 'staff' ? 'staff member' : 'contact'} active first (${ORGANIZATION} › ${register} › ${owner.id}), or use another`,
              address: r.address,
              path: '/owner',
            },
      );
    }
    if (typeof r.spec.accountName === 'string') {
      const holder = accountsByName.get(r.spec.accountName.toLowerCase());
      if (holder && !(holder.ownerType === owner.type && holder.ownerId === owner.id)) {
        diagnostics.push({
          severity: 'error',
          code: 'proliance.account-name-taken',
          message: `account name ${r.spec.accountName} is already used by the account of ${describeOwner(holder.ownerType, holder.ownerId)}: Proliance account names are unique`,
          address: r.address,
          path: '/accountName',
        });
      }
    }
  }
  return { diagnostics };
}
