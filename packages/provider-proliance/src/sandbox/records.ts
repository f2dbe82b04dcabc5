import type { AccountRow, ContactRow, StaffRow } from '../client/format.js';
import type { Right } from '../kinds/common.js';

/** A staff member (Organization work area › Staff): what its export row shows. */
export type StaffRec = Omit<StaffRow, 'line'>;

/** A contact (Organization work area › Contacts): what its export row shows. */
export type ContactRec = Omit<ContactRow, 'line'>;

/** A security role. `key` is internal (accounts refer to it), so a rename keeps assignments. */
export interface RoleRec {
  key: string;
  name: string;
  description?: string;
  permissions: Record<string, Right[]>;
  securityPermissions: boolean;
  modifiedBy: string;
  modifiedAt: string;
}

/**
 * The account on a staff member's or contact's document (at most one each): what its export row
 * shows, but roles by key and the audit fields always set.
 */
export interface AccountRec extends Omit<AccountRow, 'roles' | 'modifiedBy' | 'modifiedOn' | 'line'> {
  /** Keys of the roles held. */
  roles: string[];
  createdAt: string;
  modifiedBy: string;
  modifiedAt: string;
}

/** Everything the sandbox holds: the four registers. */
export interface Registers {
  format: 'roster-proliance-sandbox';
  version: 1;
  /** Last role key handed out. */
  seq: number;
  staff: StaffRec[];
  contacts: ContactRec[];
  roles: RoleRec[];
  accounts: AccountRec[];
}

/** Who the seed data says made it. */
export const SEED_AUTHOR = 'sandbox seed';

/**
 * A new sandbox: staff members, contacts and roles to build on (documented in the README; the
 * example uses S-1002).
 *
 * - S-1001 Alex Morgan, active, no account.
 * - S-1002 Integration Services, active, no account: a staff document kept for integrations.
 * - S-1003 Pat Rivera, inactive: no new integration account can be made on it.
 * - S-1004 Sam Taylor, active, with a user account (staylor, Administrator): it can log on, so it
 *   cannot hold an integration account.
 * - C-2001 Northwind Sync (Northwind Traders), active contact, no account.
 * - C-2002 Contoso Connector (Contoso Ltd), active contact, no account.
 * - Roles: Administrator (grants Security Permissions), Project Manager (does not).
 */
export function seedRegisters(now: string): Registers {
  return {
    format: 'roster-proliance-sandbox',
    version: 1,
    seq: 2,
    staff: [
      { id: 'S-1001', name: 'Alex Morgan', email: 'alex.morgan@example.com', active: true },
      { id: 'S-1002', name: 'Integration Services', email: 'integrations@example.com', active: true },
      { id: 'S-1003', name: 'Pat Rivera', email: 'pat.rivera@example.com', active: false },
      { id: 'S-1004', name: 'Sam Taylor', email: 'sam.taylor@example.com', active: true },
    ],
    contacts: [
      {
        id: 'C-2001',
        name: 'Northwind Sync',
        company: 'Northwind Traders',
        email: 'sync@northwind.example',
        active: true,
      },
      {
        id: 'C-2002',
        name: 'Contoso Connector',
        company: 'Contoso Ltd',
        email: 'connector@contoso.example',
        active: true,
      },
    ],
    roles: [
      {
        key: '1',
        name: 'Administrator',
        description: 'Full access, including security',
        permissions: {
          Organization: ['Read', 'Create', 'Update', 'Delete'],
          Projects: ['Read', 'Create', 'Update', 'Delete'],
          Contracts: ['Read', 'Create', 'Update', 'Delete'],
          'Cost Management': ['Read', 'Create', 'Update', 'Delete'],
        },
        securityPermissions: true,
        modifiedBy: SEED_AUTHOR,
        modifiedAt: now,
      },
      {
        key: '2',
        name: 'Project Manager',
        description: 'Runs projects',
        permissions: { Organization: ['Read'], Projects: ['Read', 'Create', 'Update'], Contracts: ['Read'] },
        securityPermissions: false,
        modifiedBy: SEED_AUTHOR,
        modifiedAt: now,
      },
    ],
    accounts: [
      {
        ownerType: 'staff',
        ownerId: 'S-1004',
        accountName: 'staylor',
        accountType: 'user',
        securityCategory: 'Internal',
        roles: ['1'],
        active: true,
        createdAt: now,
        modifiedBy: SEED_AUTHOR,
        modifiedAt: now,
      },
    ],
  };
}
