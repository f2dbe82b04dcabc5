import { afterEach, describe, expect, it } from 'vitest';
import { AutotaskClient, clearZoneCache } from '../../client/client.js';
import { SANDBOX_PLACEHOLDER_CREDENTIALS } from '../../config.js';
import { RawApi } from '../../sandbox/api.testing.js';
import type { ResourcePicklists } from '../../sandbox/resources.js';
import { type Simulator, startSimulator } from '../../sandbox/server.js';
import { ApiUsers, apiUserMarker, NoApiUserPicklistError } from './api-users.js';

// Which resources are API users comes from the labels of the Resources picklists, read at run time
// from the simulator's entityInformation/fields over HTTP.

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function usersOf(picklists: ResourcePicklists): Promise<{ users: ApiUsers; api: RawApi }> {
  clearZoneCache();
  sim = await startSimulator({ picklists });
  const client = new AutotaskClient({
    restRoot: `${sim.url}/ATServicesRest`,
    credentials: SANDBOX_PLACEHOLDER_CREDENTIALS,
    thresholdCheckEvery: 0,
    sleep: async () => {},
  });
  return { users: new ApiUsers(client), api: new RawApi(sim.url, undefined, sim.consoleToken) };
}

// The sandbox stores API users with licenseType 7 and userType 2, interactive ones with 1 and 1.
const NO_API_LICENSE = [
  { value: 1, label: 'Full' },
  { value: 7, label: 'Time & Attendance (Limited)' },
];
const NO_API_USER_TYPE = [
  { value: 1, label: 'Employee' },
  { value: 2, label: 'Contractor' },
];

describe('telling API users from interactive users', () => {
  it('goes by the licenseType label, in whatever words the database uses', async () => {
    const { users, api } = await usersOf({
      licenseType: [...NO_API_LICENSE.slice(0, 1), { value: 7, label: 'Utilisateur API' }],
    });
    await api.apiUser('alerts@example.com');
    const listed = await users.list();
    const alerts = listed.find((o) => o.naturalKey === 'alerts@example.com');
    const admin = listed.find((o) => o.naturalKey === 'admin@roster-sandbox.local');
    expect(alerts?.conflict).toBeUndefined();
    expect(admin?.conflict).toMatch(/is not an API user/);
  });

  it('falls back to the userType label when no license type names API users', async () => {
    const { users, api } = await usersOf({ licenseType: NO_API_LICENSE });
    await api.apiUser('alerts@example.com');
    expect(await users.marker()).toEqual({ field: 'userType', values: new Set([2]) });
    const listed = await users.list();
    expect(listed.find((o) => o.naturalKey === 'alerts@example.com')?.conflict).toBeUndefined();
    expect(listed.find((o) => o.naturalKey === 'admin@roster-sandbox.local')?.conflict).toBeDefined();
  });

  it('refuses, naming the labels it found, when no picklist label names API users', async () => {
    const { users, api } = await usersOf({ licenseType: NO_API_LICENSE, userType: NO_API_USER_TYPE });
    await api.apiUser('alerts@example.com');
    const err = await users.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoApiUserPicklistError);
    expect((err as Error).message).toBe(
      'Autotask\'s Resources picklists name no API user (licenseType: "Full", "Time & Attendance (Limited)"; userType: "Employee", "Contractor"), so roster cannot tell API users from interactive users and stops rather than guess. Check that roster\'s API user can read Resources/entityInformation/fields, and that the database\'s licenseType or userType picklist has a value labelled "API User".',
    );
    // Reading one resource refuses the same way: nothing is treated as an API user on a guess.
    await expect(users.read('29682885')).rejects.toBeInstanceOf(NoApiUserPicklistError);
  });

  it('ignores inactive picklist values and fields without a picklist', () => {
    expect(() =>
      apiUserMarker([
        {
          name: 'licenseType',
          isPickList: true,
          picklistValues: [{ value: '7', label: 'API User', isActive: false }],
        },
      ]),
    ).toThrow(/licenseType: "API User"; userType: no such field/);
    expect(
      apiUserMarker([
        {
          name: 'LicenseType',
          isPickList: true,
          picklistValues: [{ value: '4', label: 'API User (system)' }],
        },
      ]),
    ).toEqual({ field: 'licenseType', values: new Set([4]) });
  });
});
