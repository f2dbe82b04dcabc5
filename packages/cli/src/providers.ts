import type { Provider } from '@roster/core';
import afas from '@roster/provider-afas';
import autotask from '@roster/provider-autotask';
import getint from '@roster/provider-getint';
import intacct from '@roster/provider-intacct';
import proliance from '@roster/provider-proliance';
import scim from '@roster/provider-scim';

/** The built-in providers with the package each comes from (for `roster version`). */
export const builtinProviderPackages: { provider: Provider; packageName: string }[] = [
  { provider: intacct, packageName: '@roster/provider-intacct' },
  { provider: autotask, packageName: '@roster/provider-autotask' },
  { provider: afas, packageName: '@roster/provider-afas' },
  { provider: getint, packageName: '@roster/provider-getint' },
  { provider: proliance, packageName: '@roster/provider-proliance' },
  { provider: scim, packageName: '@roster/provider-scim' },
];

/** The provider types this build of roster knows, by `spec.type`. */
export const builtinProviders: Provider[] = builtinProviderPackages.map((p) => p.provider);
