import { describe, expect, it } from 'vitest';
import { ref, useCompany } from '../company.testing.js';

const company = useCompany();
const { role, group, update } = company;

describe('Group', () => {
  it('creates with roles (by key or by ID) and updates the role set', async () => {
    const a = await role('A');
    const b = await role('B');
    const g = await group('Integrations', [ref(a), { ref: 'B' }]);
    expect(g.attributes).toEqual({
      name: 'Integrations',
      description: 'Integrations group',
      roles: [{ ref: 'A' }, { ref: 'B' }],
    });
    const u = await update('Group', g, { roles: [ref(b)], description: 'All web services users' });
    expect(u.attributes).toEqual({
      name: 'Integrations',
      description: 'All web services users',
      roles: [{ ref: 'B' }],
    });
    expect((await company.conn.list({ kind: 'Group' })).objects).toEqual([u]);
  });
});
