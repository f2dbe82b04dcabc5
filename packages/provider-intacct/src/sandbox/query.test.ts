import { beforeAll, describe, expect, it } from 'vitest';
import { SimError } from './errors.js';
import { MAX_PAGE_SIZE, QueryCache, runQuery } from './query.js';
import { seedBulk, seedCompany } from './seed.js';
import { SimStore } from './store.js';

let store: SimStore;

/** Run a query and give the rows (or the SimError it throws). */
function q(body: Record<string, unknown>) {
  return runQuery(store, body, new QueryCache(), store.version);
}
function ids(body: Record<string, unknown>): string[] {
  return q({ object: 'company-config/user', fields: ['id'], ...body })['ia::result'].map((r) => String(r.id));
}
function fails(body: Record<string, unknown>): SimError {
  try {
    q(body);
  } catch (err) {
    if (err instanceof SimError) return err;
    throw err;
  }
  throw new Error('expected the query to fail');
}

beforeAll(async () => {
  store = await SimStore.open({ companyId: 'demo-co', init: seedCompany });
  // 12 web services users Q_USER_000001…12, 3 roles round robin, 2 groups round robin.
  await store.transact((tx) => seedBulk(tx, { users: 12, roles: 3, groups: 2, prefix: 'Q' }));
  await store.transact((tx) => {
    const u = tx.table('user').first('id', 'q_user_000002')!;
    tx.put('user', { ...u, status: 'inactive', userType: 'employee' });
    const v = tx.table('user').first('id', 'q_user_000003')!;
    tx.put('user', { ...v, status: 'lockedOut' });
  });
});

describe('query service', () => {
  it('returns the requested fields, dotted ones flat, references followed', () => {
    const r = q({
      object: 'company-config/user',
      fields: [
        'id',
        'webServices.isRestricted',
        'contact.email1',
        'contact',
        'roles.id',
        'audit.createdByUser.id',
      ],
      filters: [{ $eq: { id: 'Q_USER_000001' } }],
    });
    expect(r['ia::result']).toEqual([
      {
        id: 'Q_USER_000001',
        'webServices.isRestricted': true,
        'contact.email1': 'q_user_000001@example.com',
        contact: expect.objectContaining({
          id: expect.any(String),
          href: expect.stringMatching(/^\/objects\/company-config\/contact\//),
        }),
        'roles.id': ['Q_ROLE_0001'],
        'audit.createdByUser.id': 'Admin',
      },
    ]);
  });

  it('pages with 1-based start, next and previous as integers or null', () => {
    const base = { object: 'company-config/user', fields: ['id'], filters: [{ $startsWith: { id: 'Q_' } }] };
    const p1 = q({ ...base, size: 5 });
    expect(p1['ia::meta']).toEqual({ totalCount: 12, start: 1, pageSize: 5, next: 6, previous: null });
    const p3 = q({ ...base, size: 5, start: 11 });
    expect(p3['ia::result'].map((r) => r.id)).toEqual(['Q_USER_000011', 'Q_USER_000012']);
    expect(p3['ia::meta']).toMatchObject({ next: null, previous: 6 });
    expect(q({ ...base })['ia::meta'].pageSize).toBe(100);
  });

  it(`refuses size over ${MAX_PAGE_SIZE}, bad start, unknown objects and fields`, () => {
    expect(fails({ object: 'company-config/user', fields: ['id'], size: MAX_PAGE_SIZE + 1 }).status).toBe(
      400,
    );
    expect(
      q({ object: 'company-config/user', fields: ['id'], size: MAX_PAGE_SIZE })['ia::meta'].pageSize,
    ).toBe(4000);
    expect(fails({ object: 'company-config/user', fields: ['id'], start: 0 }).status).toBe(400);
    expect(fails({ object: 'company-config/nothing', fields: ['id'] }).status).toBe(400);
    const field = fails({ object: 'company-config/user', fields: ['id', 'password.secret', 'nope'] });
    expect(field.details.map((d) => d.target)).toEqual(['/password/secret', '/nope']);
    expect(fails({ object: 'company-config/user', fields: [] }).status).toBe(400);
  });

  it('implements comparison operators', () => {
    expect(ids({ filters: [{ $eq: { status: 'inactive' } }] })).toEqual(['Q_USER_000002']);
    expect(ids({ filters: [{ $ne: { status: 'active' } }] })).toEqual(['Q_USER_000002', 'Q_USER_000003']);
    expect(ids({ filters: [{ $lt: { id: 'Q_USER_000003' } }, { $startsWith: { id: 'Q' } }] })).toEqual([
      'Q_USER_000001',
      'Q_USER_000002',
    ]);
    expect(ids({ filters: [{ $lte: { id: 'Q_USER_000002' } }, { $startsWith: { id: 'Q' } }] })).toHaveLength(
      2,
    );
    expect(ids({ filters: [{ $gt: { id: 'Q_USER_000011' } }] })).toEqual(['Q_USER_000012']);
    expect(ids({ filters: [{ $gte: { id: 'Q_USER_000011' } }] })).toEqual(['Q_USER_000011', 'Q_USER_000012']);
    expect(ids({ filters: [{ $gt: { key: 12 } }] })).toEqual(['Q_USER_000012']);
  });

  it('implements list, range and string operators', () => {
    expect(ids({ filters: [{ $in: { id: ['Q_USER_000004', 'Admin', 'NOPE'] } }] })).toEqual([
      'Admin',
      'Q_USER_000004',
    ]);
    expect(ids({ filters: [{ $notIn: { status: ['active'] } }] })).toHaveLength(2);
    expect(ids({ filters: [{ $between: { id: ['Q_USER_000005', 'Q_USER_000007'] } }] })).toEqual([
      'Q_USER_000005',
      'Q_USER_000006',
      'Q_USER_000007',
    ]);
    expect(ids({ filters: [{ $notBetween: { id: ['Q_USER_000002', 'Q_USER_000012'] } }] })).toEqual([
      'Admin',
      'Q_USER_000001',
    ]);
    expect(ids({ filters: [{ $contains: { id: 'ER_00001' } }] })).toEqual([
      'Q_USER_000010',
      'Q_USER_000011',
      'Q_USER_000012',
    ]);
    expect(ids({ filters: [{ $notContains: { id: '_USER_' } }] })).toEqual(['Admin']);
    expect(ids({ filters: [{ $startsWith: { id: 'Adm' } }] })).toEqual(['Admin']);
    expect(ids({ filters: [{ $notStartsWith: { id: 'Q' } }] })).toEqual(['Admin']);
    expect(ids({ filters: [{ $endsWith: { id: '12' } }] })).toEqual(['Q_USER_000012']);
    expect(
      ids({ filters: [{ $notEndsWith: { id: '1' } }, { $startsWith: { id: 'Q_USER_00000' } }] }),
    ).toHaveLength(8);
    expect(ids({ filters: [{ $has: { 'roles.id': 'Q_ROLE_0002' } }] })).toEqual([
      'Q_USER_000002',
      'Q_USER_000005',
      'Q_USER_000008',
      'Q_USER_000011',
    ]);
  });

  it('refuses string operators on dates and wrong value types', () => {
    expect(
      fails({
        object: 'company-config/user',
        fields: ['id'],
        filters: [{ $contains: { 'audit.createdDateTime': '2' } }],
      }).status,
    ).toBe(400);
    expect(
      fails({ object: 'company-config/user', fields: ['id'], filters: [{ $in: { id: 'x' } }] }).status,
    ).toBe(400);
    expect(
      fails({ object: 'company-config/user', fields: ['id'], filters: [{ $like: { id: 'x' } }] }).status,
    ).toBe(400);
  });

  it('combines filters with filterExpression (and by default, or, numbered with parentheses)', () => {
    const filters = [
      { $eq: { status: 'inactive' } },
      { $eq: { status: 'lockedOut' } },
      { $eq: { userType: 'employee' } },
    ];
    expect(ids({ filters })).toEqual([]);
    expect(ids({ filters, filterExpression: 'or' })).toEqual(['Q_USER_000002', 'Q_USER_000003']);
    expect(ids({ filters, filterExpression: '(1 or 2) and 3' })).toEqual(['Q_USER_000002']);
    expect(ids({ filters, filterExpression: '2 or 1 and 3' })).toEqual(['Q_USER_000002', 'Q_USER_000003']);
    expect(
      fails({ object: 'company-config/user', fields: ['id'], filters, filterExpression: '1 and 4' }).status,
    ).toBe(400);
    expect(
      fails({ object: 'company-config/user', fields: ['id'], filters, filterExpression: '(1 or 2' }).status,
    ).toBe(400);
  });

  it('compares case-insensitively when asked', () => {
    expect(ids({ filters: [{ $eq: { id: 'admin' } }] })).toEqual([]);
    expect(
      ids({ filters: [{ $eq: { id: 'admin' } }], filterParameters: { caseSensitiveComparison: false } }),
    ).toEqual(['Admin']);
  });

  it('orders by fields, ascending or descending', () => {
    const desc = ids({ filters: [{ $startsWith: { id: 'Q_USER_00000' } }], orderBy: [{ id: 'desc' }] });
    expect(desc[0]).toBe('Q_USER_000009');
    const byStatus = ids({
      filters: [{ $startsWith: { id: 'Q' } }],
      orderBy: [{ status: 'asc' }, { id: 'desc' }],
    });
    expect(byStatus.slice(-2)).toEqual(['Q_USER_000002', 'Q_USER_000003']);
    expect(fails({ object: 'company-config/user', fields: ['id'], orderBy: [{ id: 'up' }] }).status).toBe(
      400,
    );
  });

  it('queries owned and linking objects (maps, members, permission assignments)', () => {
    const members = q({
      object: 'company-config/user-group-member',
      fields: ['user.id', 'userGroup.id'],
      size: 2,
    });
    expect(members['ia::result']).toEqual([
      { 'user.id': 'Q_USER_000001', 'userGroup.id': 'Q_GROUP_0001' },
      { 'user.id': 'Q_USER_000002', 'userGroup.id': 'Q_GROUP_0002' },
    ]);
    const perms = q({
      object: 'company-config/role-permission-assignment',
      fields: ['role.id', 'permission.id', 'accessRights'],
    });
    expect(perms['ia::result'][0]).toEqual({
      'role.id': 'Q_ROLE_0001',
      'permission.id': '3306',
      accessRights: ['list', 'readonly'],
    });
  });
});
