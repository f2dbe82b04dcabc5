/**
 * `@roster/core/testing`: what a provider's tests use, never the CLI (it imports vitest, so it is
 * not part of `@roster/core`, and the CLI bundle refuses it).
 */
export { type KindSession, kindSession } from '../kind-operations.js';
export { comparableAttributes } from './compare.js';
export type {
  ContractFaults,
  ContractFixture,
  ContractInjectedFaults,
  ContractSandbox,
  KindSample,
  SampleAttributes,
  SampleContext,
} from './contract-types.js';
export { providerContract } from './provider-contract.js';
export {
  jsonResponse,
  type RecordedCall,
  recordingFetch,
  type ScriptedAnswer,
  waitRecorder,
} from './recording-fetch.js';
export { seededRandom } from './seeded-random.js';
