import { describe, expect, it } from 'vitest';
import { matchesLabels } from './label-selector.js';
import { parseTenantSelector, type SelectableTenant } from './tenant-selector.js';

const tenants: SelectableTenant[] = [
  { name: 'acme', labels: { tier: 'gold' } },
  { name: 'acme-eu', labels: { tier: 'silver' } },
  { name: 'globex', labels: { tier: 'gold', erp: 'intacct' } },
  { name: 'initech', labels: {} },
];
const picked = (s: string | undefined) => tenants.filter(parseTenantSelector(s)).map((t) => t.name);

describe('parseTenantSelector', () => {
  it('selects by name, glob and label=value, any term matching', () => {
    expect(picked(undefined)).toEqual(['acme', 'acme-eu', 'globex', 'initech']);
    expect(picked('acme')).toEqual(['acme']);
    expect(picked('acme-*')).toEqual(['acme-eu']);
    expect(picked('tier=gold')).toEqual(['acme', 'globex']);
    expect(picked('initech, erp=intacct')).toEqual(['globex', 'initech']);
  });

  it('refuses an empty selector and a label without a name', () => {
    expect(() => parseTenantSelector(' , ')).toThrow(/--tenants is empty/);
    expect(() => parseTenantSelector('=gold')).toThrow(/no label name/);
  });
});

describe('matchesLabels', () => {
  it('needs every key of the selector with its value; an empty selector matches all', () => {
    expect(matchesLabels({ tier: 'gold' }, { tier: 'gold', erp: 'x' })).toBe(true);
    expect(matchesLabels({ tier: 'gold', erp: 'intacct' }, { tier: 'gold' })).toBe(false);
    expect(matchesLabels({}, {})).toBe(true);
  });
});
