import { describe, expect, it } from 'vitest';
import { batonFileProblems } from './baton-file-check.testing.js';

/**
 * The shape of baton-file's own example input (test/integration/testdata/full-example.json
 * @6faf5c781306aa04f18a12537679d24f9b2e7928), shortened: users of both types and statuses, a
 * group with a parent, a role, an app, a secret with its creator and identity, entitlements,
 * direct grants and an inheritance mapping. The checker must accept what the connector's authors
 * ship as valid, or it proves nothing about roster's output.
 */
const upstreamExample = () => ({
  users: [
    {
      id: 'jane.smith',
      display_name: 'Jane Smith',
      email: 'jane.smith@example.com',
      status: 'enabled',
      type: 'human',
      last_login: '2025-03-15T10:30:00Z',
      login: 'jsmith',
      login_aliases: ['jane.s'],
      employee_id: 'EMP-4821',
      mfa_enabled: true,
      status_details: 'Active since 2021',
      profile: { department: 'Engineering' },
    },
    {
      id: 'john.doe',
      display_name: 'John Doe',
      status: 'disabled',
      type: 'service',
      employee_id: ['E-1', 'C-2'],
    },
  ],
  resources: [
    { resource_type: 'organization', trait: 'group', id: 'acme-org', display_name: 'Acme Corp' },
    {
      resource_type: 'team',
      trait: 'group',
      id: 'engineering',
      display_name: 'Engineering',
      parent_resource: 'acme-org',
    },
    {
      resource_type: 'role',
      trait: 'role',
      id: 'platform-admin',
      display_name: 'Platform Admin',
      profile: { level: '3' },
    },
    {
      resource_type: 'repository',
      trait: 'app',
      id: 'api-service',
      display_name: 'api-service',
      parent_resource: 'acme-org',
    },
    {
      resource_type: 'api_key',
      trait: 'secret',
      id: 'deploy-token-1',
      display_name: 'Production Deploy Token',
      parent_resource: 'api-service',
      created_at: '2025-01-10T00:00:00Z',
      expires_at: '2026-01-10T00:00:00Z',
      created_by: 'user:jane.smith',
      identity: 'repository:api-service',
    },
  ],
  entitlements: [
    { resource_id: 'engineering', entitlement_slug: 'member', display_name: 'Team Member' },
    { resource_id: 'platform-admin', entitlement_slug: 'assigned' },
    { resource_id: 'api-service', entitlement_slug: 'read' },
  ],
  direct_user_grants: [
    { principal_id: 'jane.smith', resource_id: 'engineering', entitlement_slug: 'member' },
    { principal_id: 'john.doe', resource_id: 'platform-admin', entitlement_slug: 'assigned' },
  ],
  grant_inheritance_mappings: [
    {
      principal_resource_id: 'engineering',
      principal_entitlement_slug: 'member',
      inherited_resource_id: 'api-service',
      inherited_entitlement_slug: 'read',
      inheritance_depth: 'full',
    },
  ],
});

describe('batonFileProblems', () => {
  it("accepts the connector's own example", () => {
    expect(batonFileProblems(upstreamExample())).toEqual([]);
  });

  it('rejects the pre-1.0 layout the connector refuses (a `grants` section, `name` for `id`)', () => {
    const old = {
      ...upstreamExample(),
      grants: [{ principal: 'jane.smith', entitlement_id: 'engineering:member' }],
    };
    expect(batonFileProblems(old)).toEqual(['schema: / must NOT have additional properties']);
    const renamed = upstreamExample();
    renamed.users[1] = { name: 'john.doe', display_name: 'John Doe' } as never;
    expect(batonFileProblems(renamed).join('\n')).toContain("must have required property 'id'");
  });

  it('finds what the loader refuses: dangling grants, a resource as principal, shared ids, secret fields elsewhere', () => {
    const doc = upstreamExample();
    doc.direct_user_grants.push(
      { principal_id: 'engineering', resource_id: 'engineering', entitlement_slug: 'member' },
      { principal_id: 'jane.smith', resource_id: 'api-service', entitlement_slug: 'write' },
    );
    doc.resources.push({ resource_type: 'team', trait: 'role', id: 'jane.smith', display_name: 'Jane' }, {
      resource_type: 'repository',
      trait: 'app',
      id: 'web',
      display_name: 'web',
      identity: 'user:nobody',
    } as never);
    expect(batonFileProblems(doc)).toEqual([
      'duplicate id jane.smith across users and resources',
      'resource_type team has traits group and role',
      'resource web (trait app) uses secret-only identity',
      'resource web: identity user:nobody does not resolve',
      'grant #3: principal engineering is not a user',
      'grant #4: entitlement api-service:write does not exist',
    ]);
  });
});
