import { SANDBOX_VENDORS, SYSTEM_API_LEVELS } from '../facts.js';
import type { SecurityLevelRec } from './records.js';
import { LICENSE_FULL, USER_TYPE_EMPLOYEE } from './resources.js';
import type { SimTx } from './store.js';

/** Resource ids start where a real database's might; only their order matters. */
export const FIRST_RESOURCE_ID = 29682885;

const ALL_RIGHTS = ['View', 'Add', 'Edit', 'Delete'];

/** What the built-in API-user levels grant (a small part of Autotask's catalogue, enough to copy and edit). */
function apiLevelPermissions(readCosts: boolean): Record<string, string | string[]> {
  return {
    'CRM › Account & Contact Access': 'All',
    'CRM › Opportunities': ALL_RIGHTS,
    'Service Desk › Tickets': ALL_RIGHTS,
    'Service Desk › Ticket Notes': ALL_RIGHTS,
    'Projects › Projects': ALL_RIGHTS,
    'Contracts › Contracts': ALL_RIGHTS,
    'Admin › Resources/Users': 'All',
    'Finance › Costs': readCosts ? 'All' : 'None',
  };
}

/**
 * A new sandbox database: the built-in security levels (Administrator and the two API-user
 * levels, which cannot be edited, only copied), the integration vendor list, and one interactive
 * administrator resource (a UI user, so listing shows that not every resource is an API user).
 */
export function seedDatabase(tx: SimTx): void {
  const levels: Array<Omit<SecurityLevelRec, 'key'>> = [
    {
      name: 'Administrator',
      apiOnly: false,
      system: true,
      active: true,
      permissions: apiLevelPermissions(true),
    },
    {
      name: SYSTEM_API_LEVELS[0],
      apiOnly: true,
      system: true,
      active: true,
      permissions: apiLevelPermissions(true),
    },
    {
      name: SYSTEM_API_LEVELS[1],
      apiOnly: true,
      system: true,
      active: true,
      permissions: apiLevelPermissions(false),
    },
  ];
  for (const l of levels) tx.put('securityLevel', { key: tx.newKey('securityLevel'), ...l });
  for (const name of SANDBOX_VENDORS) tx.put('vendor', { key: tx.newKey('vendor'), name });
  tx.setSeq('resource', FIRST_RESOURCE_ID - 1);
  const key = tx.newKey('resource');
  tx.put('resource', {
    key,
    id: Number(key),
    firstName: 'Sandbox',
    lastName: 'Administrator',
    middleName: null,
    email: 'admin@roster-sandbox.local',
    userName: 'sandbox.admin',
    title: 'Administrator',
    isActive: true,
    licenseType: LICENSE_FULL,
    userType: USER_TYPE_EMPLOYEE,
    resourceType: 'Employee',
    officePhone: null,
    mobilePhone: null,
  });
}
