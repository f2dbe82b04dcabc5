import type { RemoteObject } from '@roster/core';
import { describeOwner } from '../kinds/common.js';
import type { AccountRow, ParsedExport, RoleRow } from './format.js';

/** A security role as a SecurityLevel object (id and natural key: the role name). */
export function roleToRemote(r: RoleRow): RemoteObject {
  return {
    id: r.name,
    naturalKey: r.name,
    attributes: {
      name: r.name,
      ...(r.description !== undefined ? { description: r.description } : {}),
      permissions: structuredClone(r.permissions),
      securityPermissions: r.securityPermissions,
    },
    ...(r.modifiedBy ? { modifiedBy: r.modifiedBy } : {}),
    ...(r.modifiedOn ? { modifiedAt: r.modifiedOn } : {}),
  };
}

/**
 * An account as a ServiceAccount object. Its id and natural key are its owner (`staff:<ID>`,
 * `contact:<ID>`): Proliance keeps one account per staff member or contact. A user account is a
 * conflict: it can log on, and roster manages integration accounts only.
 */
export function accountToRemote(a: AccountRow): RemoteObject {
  const key = `${a.ownerType}:${a.ownerId}`;
  const systemIntegration = {
    ...(a.externalSystem !== undefined ? { externalSystem: a.externalSystem } : {}),
    ...(a.externalAccount !== undefined ? { externalAccount: a.externalAccount } : {}),
  };
  const object: RemoteObject = {
    id: key,
    naturalKey: key,
    attributes: {
      owner: a.ownerType === 'staff' ? { staff: a.ownerId } : { contact: a.ownerId },
      accountName: a.accountName,
      ...(a.securityCategory !== '' ? { securityCategory: a.securityCategory } : {}),
      roles: a.roles.map((ref) => ({ ref })),
      ...(Object.keys(systemIntegration).length > 0 ? { systemIntegration } : {}),
      active: a.active,
    },
    deactivated: !a.active,
    outputs: { accountName: a.accountName },
    ...(a.modifiedBy ? { modifiedBy: a.modifiedBy } : {}),
    ...(a.modifiedOn ? { modifiedAt: a.modifiedOn } : {}),
  };
  if (a.accountType === 'user') {
    object.conflict = `${describeOwner(a.ownerType, a.ownerId)} already has a user account (${a.accountName}), which can log on to Proliance; a staff member or contact has one account, and roster manages integration accounts only: use another staff member or contact`;
  }
  return object;
}

/** The objects of a kind in the export. */
export function exportObjects(data: ParsedExport, kind: string): RemoteObject[] {
  if (kind === 'SecurityLevel') return data.securityRoles.map(roleToRemote);
  if (kind === 'ServiceAccount') return data.accounts.map(accountToRemote);
  return [];
}
