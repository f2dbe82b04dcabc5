import { UserError } from '../diagnostics.js';
import { globMatch } from '../match/glob.js';

/** What `--tenants` is matched against: a tenant's name and labels. */
export interface SelectableTenant {
  name: string;
  labels: Readonly<Record<string, string>>;
}

/**
 * Parse `--tenants`: comma-separated terms, each a tenant name, a glob (`acme-*`) or `label=value`;
 * a tenant is selected when any term matches it. Undefined or empty selects every tenant.
 */
export function parseTenantSelector(selector: string | undefined): (tenant: SelectableTenant) => boolean {
  if (selector === undefined) return () => true;
  const terms = selector
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (terms.length === 0) throw new UserError('--tenants is empty: give tenant names, globs or label=value');
  const tests = terms.map((term): ((t: SelectableTenant) => boolean) => {
    const eq = term.indexOf('=');
    if (eq >= 0) {
      const key = term.slice(0, eq).trim();
      const value = term.slice(eq + 1).trim();
      if (key === '') throw new UserError(`--tenants: "${term}" has no label name before =`);
      return (t) => t.labels[key] === value;
    }
    return (t) => globMatch(term, t.name);
  });
  return (tenant) => tests.some((test) => test(tenant));
}
