/**
 * `@roster/provider-proliance`: the provider object, the one thing the CLI and other packages take from
 * here. Its client, kinds and checks stay internal (this package's tests import them by relative
 * path); its sandbox is the separate entry `@roster/provider-proliance/sandbox`.
 */
import provider from './provider.js';

export default provider;
