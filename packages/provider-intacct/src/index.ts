/**
 * `@roster/provider-intacct`: the provider object, the one thing the CLI and other packages take from
 * here. Its client, kinds and checks stay internal (this package's tests import them by relative
 * path); the sandbox is the package's second entry, `@roster/provider-intacct/sandbox`.
 */
import provider from './provider.js';

export default provider;
