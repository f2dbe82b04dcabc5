/**
 * `@roster/core/testing`: what a provider's tests use, never the CLI (it imports vitest, so it is
 * not part of `@roster/core` and the CLI bundle never reaches it).
 */
export {
  type ContractFaults,
  type ContractFixture,
  type ContractSandbox,
  comparableAttributes,
  type KindSample,
  providerContract,
  type SampleContext,
  seededRandom,
} from './provider-contract.js';
