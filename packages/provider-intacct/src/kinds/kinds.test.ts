import { readFileSync } from 'node:fs';
import { kindCapabilities } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config.js';
import { groupKind } from './group/index.js';
import { securityLevelKind } from './security-level/index.js';
import { serviceAccountKind } from './service-account/index.js';

const spec = {
  id: 'WS_X',
  email: 'ws_x@example.com',
  contact: { firstName: 'Web', lastName: 'X', email: 'ws_x@example.com' },
};

describe('kinds', () => {
  it('declares its rules as data', () => {
    expect(serviceAccountKind.naturalKey(spec)).toBe('WS_X');
    expect(serviceAccountKind.attributes.id?.immutable).toBe(true);
    expect(serviceAccountKind.attributes.roles).toMatchObject({ ref: 'SecurityLevel', set: true });
    expect(serviceAccountKind.attributes.groups).toMatchObject({ ref: 'Group', set: true });
    expect(serviceAccountKind.deactivation).toEqual({
      attribute: 'status',
      value: 'inactive',
      activeValue: 'active',
    });
    expect(serviceAccountKind.onRemoveOptions).toEqual(['deactivate', 'delete']);
    expect(kindCapabilities(serviceAccountKind)).toEqual({
      create: 'api',
      read: 'api',
      update: 'api',
      delete: 'api',
      rotate: 'manual',
    });
    expect(securityLevelKind.naturalKey({ name: 'AP Sync' })).toBe('AP Sync');
    expect(groupKind.attributes.roles).toMatchObject({ ref: 'SecurityLevel', set: true });
  });
});

/** Every property of every (sub)schema has a description; every object schema is closed. */
function walk(schema: unknown, where: string, problems: string[]): void {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  if (s.properties) {
    if (s.additionalProperties !== false) problems.push(`${where}: additionalProperties is not false`);
    for (const [k, v] of Object.entries(s.properties as Record<string, Record<string, unknown>>)) {
      if (typeof v.description !== 'string') problems.push(`${where}/${k}: no description`);
      walk(v, `${where}/${k}`, problems);
    }
  }
  if (s.items) walk(s.items, `${where}[]`, problems);
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    walk(s.additionalProperties, `${where}/*`, problems);
}

describe('schemas', () => {
  it.each([
    ['ServiceAccount', serviceAccountKind.schema],
    ['SecurityLevel', securityLevelKind.schema],
    ['Group', groupKind.schema],
    ['Provider', configSchema],
  ])('%s is a closed draft 2020-12 schema with a description on every property', (kind, schema) => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`https://roster.dev/schemas/intacct/${kind}.schema.json`);
    const problems: string[] = [];
    walk(schema, kind, problems);
    expect(problems).toEqual([]);
  });

  it.each([
    ['ServiceAccount', serviceAccountKind.schema],
    ['SecurityLevel', securityLevelKind.schema],
    ['Group', groupKind.schema],
  ])('%s, declared once with the spec builders, is the published schema byte for byte', (kind, schema) => {
    const published = readFileSync(
      new URL(`../../../../schemas/intacct/${kind}.schema.json`, import.meta.url),
      'utf8',
    );
    expect(`${JSON.stringify(schema, null, 2)}\n`).toBe(published);
  });

  it('requires what Intacct requires', () => {
    expect(serviceAccountKind.schema.required).toEqual(['id', 'email', 'contact']);
    expect(groupKind.schema.required).toEqual(['name', 'description']);
    expect(configSchema.required).toEqual(['type', 'companyId']);
  });
});
