/**
 * `@roster/provider-autotask`: the provider object, the one thing the CLI and other packages take from
 * here. Its client, kinds, checks and sandbox stay internal: this package's tests import them by
 * relative path, and the sandbox is served through the provider's own `serveSandbox`.
 */
import provider from './provider.js';

export default provider;
