import type { Provider } from '@roster/core';
import afas from '@roster/provider-afas';
import autotask from '@roster/provider-autotask';
import getint from '@roster/provider-getint';
import intacct from '@roster/provider-intacct';
import proliance from '@roster/provider-proliance';

/** The provider types this build of roster knows, by `spec.type`. */
export const builtinProviders: Provider[] = [intacct, autotask, afas, getint, proliance];
