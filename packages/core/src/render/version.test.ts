import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderVersionText, type VersionInfo } from './version.js';

const schemaFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../schemas/version.schema.json',
);

const info: VersionInfo = {
  roster: '1.2.3',
  node: 'v20.5.0',
  providers: [
    { type: 'intacct', displayName: 'Sage Intacct', package: '@roster/provider-intacct', version: '1.2.3' },
    { type: 'afas', displayName: 'AFAS Profit', package: '@roster/provider-afas', version: 'unknown' },
  ],
};

describe('renderVersionText', () => {
  it('prints roster, node, then one aligned line per provider', () => {
    expect(renderVersionText(info)).toMatchInlineSnapshot(`
      "roster 1.2.3
      node v20.5.0
      providers:
        intacct  1.2.3  (Sage Intacct, @roster/provider-intacct)
        afas     unknown  (AFAS Profit, @roster/provider-afas)
      "
    `);
  });
});

describe('schemas/version.schema.json', () => {
  const validate = new Ajv2020({ strict: true }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  it('accepts a VersionInfo', () => {
    expect(validate(info)).toBe(true);
  });
  it('refuses a document without the providers, or with a field it does not define', () => {
    expect(validate({ roster: '1', node: 'v20' })).toBe(false);
    expect(validate({ ...info, extra: 1 })).toBe(false);
    expect(validate({ ...info, providers: [{ type: 'x', version: '1' }] })).toBe(false);
  });
});
