import { SchemaValidator } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { configSchema, readConfig } from './config.js';

const validator = new SchemaValidator();
const problems = (schema: Record<string, unknown>, value: unknown) => {
  const r = validator.check(schema, value, '/spec');
  if ('schemaError' in r) throw new Error(r.schemaError);
  return r.problems.map((p) => p.pointer);
};

const base = { type: 'proliance', export: { dir: 'proliance-export' } };
const withColumns = (columns: unknown) => ({ ...base, export: { ...base.export, columns } });

describe('export.columns', () => {
  it('defaults to today’s headers, and passes renamed ones through', () => {
    const plain = readConfig('p', base, '/work');
    expect(plain.sandbox === false && plain.columns).toBeUndefined();
    const cfg = readConfig('p', withColumns({ staff: { id: 'Employee No' } }), '/work');
    expect(cfg).toMatchObject({ sandbox: false, columns: { staff: { id: 'Employee No' } } });
  });

  it('is in the schema: every register and column key, nothing else, each at its own key', () => {
    const validator = new SchemaValidator();
    const problems = (spec: unknown) => {
      const r = validator.check(configSchema, spec, '/spec');
      if ('schemaError' in r) throw new Error(r.schemaError);
      return r.problems.map((p) => [p.pointer, p.at, p.message]);
    };
    expect(problems(withColumns({ accounts: { accountName: 'Login', roles: 'Roles' } }))).toEqual([]);
    expect(problems(withColumns({ accounts: { acountName: 'Login' } }))).toEqual([
      [
        '/spec/export/columns/accounts/acountName',
        'key',
        expect.stringMatching(/unknown field .*acountName.*accountName/),
      ],
    ]);
    expect(problems(withColumns({ users: { id: 'x' } }))).toEqual([
      ['/spec/export/columns/users', 'key', expect.stringMatching(/unknown field/)],
    ]);
    expect(problems(withColumns({ staff: { id: ' ' } }))).toHaveLength(1);
    const staff = (
      configSchema.properties.export.properties.columns.properties as Record<
        string,
        { properties: Record<string, { default: string }> }
      >
    ).staff!;
    expect(Object.keys(staff.properties)).toEqual(['id', 'name', 'email', 'active']);
    expect(staff.properties.id!.default).toBe('Staff ID');
  });

  it('refuses unknown keys and two columns under one header without the schema too', () => {
    expect(() => readConfig('p', withColumns({ staff: { staffId: 'No' } }))).toThrow(
      'provider p: export.columns.staff.staffId is not a column of the Staff register (id, name, email, active)',
    );
    expect(() => readConfig('p', withColumns({ people: {} }))).toThrow(
      /export\.columns\.people is not a register/,
    );
    expect(() => readConfig('p', withColumns({ staff: { name: 'staff  id' } }))).toThrow(
      'provider p: export.columns: the Staff register columns id and name would both read the header "staff  id"',
    );
  });
});

describe('the Provider schema', () => {
  it('accepts endpoint: sandbox, or an export', () => {
    expect(problems(configSchema, { type: 'proliance', endpoint: 'sandbox' })).toEqual([]);
    expect(problems(configSchema, { type: 'proliance', export: { dir: 'exports', delimiter: ';' } })).toEqual(
      [],
    );
  });

  it('want endpoint: sandbox or export, not both, and export dir or files', () => {
    expect(problems(configSchema, { type: 'proliance' })).not.toEqual([]);
    expect(
      problems(configSchema, { type: 'proliance', endpoint: 'sandbox', export: { dir: 'x' } }),
    ).not.toEqual([]);
    expect(problems(configSchema, { type: 'proliance', endpoint: 'https://proliance.example' })).not.toEqual(
      [],
    );
    expect(problems(configSchema, { type: 'proliance', export: { dir: 'x', files: {} } })).not.toEqual([]);
    expect(problems(configSchema, { type: 'proliance', export: { files: { staff: 'a.csv' } } })).not.toEqual(
      [],
    );
  });
});
