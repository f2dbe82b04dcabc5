/**
 * A generated project for crash tests: one Intacct sandbox with many web services users, roles
 * and user groups, sized by the number of operations its first apply performs.
 */

/** How many of each object the project declares. */
export interface ManyAccountsShape {
  /** Web services users; `inactiveUsers` of them are declared inactive (create as locked, then update). */
  users: number;
  inactiveUsers: number;
  roles: number;
  groups: number;
}

/** 300 operations: 150 creates of users, 120 follow-up updates, 20 roles and 10 groups. */
export const SHAPE_300: ManyAccountsShape = { users: 150, inactiveUsers: 120, roles: 20, groups: 10 };

/** Operations the first apply of `shape` performs (a user declared inactive takes two). */
export function operationCount(shape: ManyAccountsShape): number {
  return shape.users + shape.inactiveUsers + shape.roles + shape.groups;
}

const pad = (n: number) => String(n).padStart(3, '0');

/** The project's files (path → content), for `project()`. */
export function manyAccountsProject(shape: ManyAccountsShape): Record<string, string> {
  const provider = `apiVersion: roster/v1
kind: Provider
metadata: { name: books }
spec: { type: intacct, endpoint: sandbox, companyId: demo-co }
`;
  const docs: string[] = [];
  for (let r = 0; r < shape.roles; r++) {
    docs.push(`apiVersion: roster/v1
kind: SecurityLevel
metadata: { name: role-${pad(r)}, provider: books }
spec:
  name: Role ${pad(r)}
  description: generated role ${r}
  permissions:
    accountsPayable/bills: [list, readonly]
`);
  }
  for (let g = 0; g < shape.groups; g++) {
    docs.push(`apiVersion: roster/v1
kind: Group
metadata: { name: group-${pad(g)}, provider: books }
spec:
  name: Group ${pad(g)}
  description: generated group ${g}
  roles: [{ ref: role-${pad(g % Math.max(1, shape.roles))} }]
`);
  }
  for (let u = 0; u < shape.users; u++) {
    const id = `WS_USER_${pad(u)}`;
    const email = `ws-user-${pad(u)}@example.com`;
    const roles = shape.roles > 0 ? `\n  roles: [{ ref: role-${pad(u % shape.roles)} }]` : '';
    const groups = shape.groups > 0 ? `\n  groups: [{ ref: group-${pad(u % shape.groups)} }]` : '';
    docs.push(`apiVersion: roster/v1
kind: ServiceAccount
metadata:
  name: user-${pad(u)}
  provider: books
  labels: { owner: platform, purpose: crash-test }
spec:
  id: ${id}
  userName: User ${pad(u)}
  email: ${email}
  contact: { firstName: User, lastName: N${pad(u)}, email: ${email} }
  userType: business
  adminPrivileges: off
  status: ${u < shape.inactiveUsers ? 'inactive' : 'active'}${roles}${groups}
`);
  }
  return { 'provider.yaml': provider, 'resources.yaml': docs.join('---\n') };
}
