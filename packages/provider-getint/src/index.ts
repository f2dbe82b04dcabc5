/**
 * `@roster/provider-getint`: the provider object, the one thing the CLI and other packages take from
 * here. Its kinds and checks stay internal (this package's tests import them by relative path); its
 * sandbox is the separate entry `@roster/provider-getint/sandbox`.
 */
import provider from './provider.js';

export default provider;
