import type { Provider } from '@roster/core';
import intacct from '@roster/provider-intacct';

/** The provider types this build of roster knows, by `spec.type`. */
export const builtinProviders: Provider[] = [intacct];
