import { describe, expect, it } from 'vitest';
import { configSchema } from '../config.js';
import { CODE_PATTERN } from './common.js';
import { connectorKind } from './connector/index.js';
import { groupKind } from './group/index.js';
import { serviceAccountKind } from './service-account/index.js';

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
}

describe('schemas', () => {
  it.each([
    ['ServiceAccount', serviceAccountKind.schema],
    ['Group', groupKind.schema],
    ['Connector', connectorKind.schema],
    ['Provider', configSchema],
  ])('%s is a closed draft 2020-12 schema with a description on every property', (kind, schema) => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`https://roster.dev/schemas/afas/${kind}.schema.json`);
    const problems: string[] = [];
    walk(schema, kind, problems);
    expect(problems).toEqual([]);
  });

  it('keeps codes free of the filter separators , and ;', () => {
    const pattern = new RegExp(CODE_PATTERN);
    expect(pattern.test('INV-APP')).toBe(true);
    expect(pattern.test('A,B')).toBe(false);
    expect(pattern.test(' A')).toBe(false);
    expect(groupKind.schema).toMatchObject({ properties: { id: { pattern: CODE_PATTERN } } });
    expect(serviceAccountKind.schema).toMatchObject({ properties: { userId: { pattern: CODE_PATTERN } } });
    expect(pattern.test('12345.WS-INVOICE')).toBe(true);
  });
});
